package services

// Benchmarks of the two hot reads on a generated database:
//
//	go test ./internal/services -run '^$' -bench . -benchtime 3000x
//
// SODAMOLEK_BENCH_FILES sets how many files are generated first (default
// 20,000 to keep a routine run short; 200,000 is SeedScale's scale 1), and
// SODAMOLEK_TEST_DB selects PostgreSQL as for the tests. Each benchmark
// times every call and reports the 95th percentile as p95-ms.

import (
	"context"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

func benchFiles(b *testing.B) int {
	if v := os.Getenv("SODAMOLEK_BENCH_FILES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("SODAMOLEK_BENCH_FILES=%q: want a positive number", v)
		}
		return n
	}
	return 20_000
}

// scaledModule starts the app and generates the benchmark's files.
func scaledModule(b *testing.B) *Module {
	b.Helper()
	s := apptest.Start(b, apptest.Options{})
	var m *Module
	for _, mod := range s.App.Modules {
		if sm, ok := mod.(*Module); ok {
			m = sm
		}
	}
	start := time.Now()
	n, err := m.SeedFiles(context.Background(), benchFiles(b), 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d files in %s (%s)", n, time.Since(start).Round(time.Millisecond), s.App.Deps.DB.Dialect)
	return m
}

// reportP95 reports the 95th percentile of the timed calls.
func reportP95(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkStatusLookup: the sign-in-free status check of a random file
// (number + last four phone digits), target p95 < 20 ms at 200,000 files.
func BenchmarkStatusLookup(b *testing.B) {
	m := scaledModule(b)
	ctx := context.Background()
	rows, err := m.d.DB.QueryContext(ctx, `SELECT number, phone_last4 FROM svc_applications ORDER BY id DESC LIMIT 2000`)
	if err != nil {
		b.Fatal(err)
	}
	var keys [][2]string
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			b.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	r := httptest.NewRequest("GET", "/api/v1/applications/x", nil)
	var d []time.Duration
	i := 0
	for b.Loop() {
		k := keys[(i*7919)%len(keys)]
		i++
		t0 := time.Now()
		if _, err := m.publicStatus(r, k[0], k[1]); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	reportP95(b, d)
}

// BenchmarkOfficerQueue: the first page of the Dinas PUPR officer's
// queue, target p95 < 50 ms at 200,000 files.
func BenchmarkOfficerQueue(b *testing.B) {
	m := scaledModule(b)
	ctx := context.Background()
	p := &auth.Principal{Kind: auth.Staff, UserID: 1, Username: "bench.officer", UnitCode: "pupr", Roles: []string{"officer"},
		Grants: []auth.Grant{{Permission: "services.handle", Scope: auth.ScopeUnit}}}
	var d []time.Duration
	for b.Loop() {
		t0 := time.Now()
		items, err := m.Queue(ctx, p, QueueFilter{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		if len(items) == 0 {
			b.Fatal("empty queue")
		}
		d = append(d, time.Since(t0))
	}
	reportP95(b, d)
}
