package apptest_test

import (
	"context"
	"sync"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// TestTwoServersBehaveAsOne runs two complete servers on one database
// (PostgreSQL in CI's second pass, one SQLite file otherwise): a job
// enqueued on one runs exactly once across both, and a sign-in made on
// one is valid on the other.
func TestTwoServersBehaveAsOne(t *testing.T) {
	url := dbtest.URL(t)
	a := apptest.Start(t, apptest.Options{DatabaseURL: url, Args: []string{"--demo"}})
	b := apptest.Start(t, apptest.Options{DatabaseURL: url, Args: []string{"--demo"}})

	var mu sync.Mutex
	runs := map[int]int{}
	handler := jobs.Decoded(func(ctx context.Context, _ *jobs.Job, p struct{ N int }) error {
		mu.Lock()
		runs[p.N]++
		mu.Unlock()
		return nil
	})
	a.App.Deps.Jobs.Register("test.count", handler)
	b.App.Deps.Jobs.Register("test.count", handler)
	const n = 60
	for i := 0; i < n; i++ {
		if _, err := a.App.Deps.Jobs.Enqueue(context.Background(), "test.count", struct{ N int }{i}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, s := range []*apptest.Server{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.App.Deps.Jobs.RunDue(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(runs) != n {
		t.Fatalf("%d of %d jobs ran", len(runs), n)
	}
	for id, c := range runs {
		if c != 1 {
			t.Errorf("job %d ran %d times", id, c)
		}
	}

	testSessionSharedAcrossServers(t, a, b)
}
