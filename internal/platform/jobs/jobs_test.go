package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

var start = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newQueue(t *testing.T, clk clock.Clock, opts jobs.Options) (*jobs.Queue, *database.DB) {
	t.Helper()
	db := dbtest.New(t, jobs.Migrations)
	return jobs.New(db, clk, quiet(), opts), db
}

// openTwice opens two independent handles on one fresh database, as two
// server processes would, and migrates it once.
func openTwice(t *testing.T) (*database.DB, *database.DB) {
	t.Helper()
	url := dbtest.URL(t)
	ctx := context.Background()
	var dbs [2]*database.DB
	for i := range dbs {
		db, err := database.Open(ctx, url, t.TempDir(), database.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	if _, err := dbs[0].Migrate(ctx, jobs.Migrations); err != nil {
		t.Fatal(err)
	}
	return dbs[0], dbs[1]
}

func get(t *testing.T, q *jobs.Queue, id int64) *jobs.Job {
	t.Helper()
	j, err := q.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func runDue(t *testing.T, q *jobs.Queue) int {
	t.Helper()
	n, err := q.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline; it asserts that something happens, never how fast.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type greeting struct {
	Name string `json:"name"`
}

func TestEnqueueThenRun(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	var got []string
	q.Register("greet", jobs.Decoded(func(ctx context.Context, j *jobs.Job, p greeting) error {
		got = append(got, p.Name)
		return nil
	}))
	id, err := q.Enqueue(ctx, "greet", greeting{Name: "Maria"})
	if err != nil {
		t.Fatal(err)
	}
	j := get(t, q, id)
	if j.State != jobs.StateAvailable || j.Attempt != 0 || !j.RunAt.Equal(start) || string(j.Payload) != `{"name":"Maria"}` {
		t.Fatalf("enqueued job = %+v", j)
	}
	if n := runDue(t, q); n != 1 {
		t.Fatalf("RunDue ran %d jobs, want 1", n)
	}
	if len(got) != 1 || got[0] != "Maria" {
		t.Fatalf("handler saw %v", got)
	}
	j = get(t, q, id)
	if j.State != jobs.StateSucceeded || j.Attempt != 1 || !j.FinishedAt.Equal(start) || j.LockedBy != "" || !j.LockedUntil.IsZero() {
		t.Fatalf("finished job = %+v", j)
	}
	if n := runDue(t, q); n != 0 {
		t.Fatalf("a succeeded job ran again (%d)", n)
	}
}

func TestRunAtAndDelayWaitForTheClock(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	ran := 0
	q.Register("later", func(context.Context, *jobs.Job) error { ran++; return nil })
	if _, err := q.Enqueue(ctx, "later", nil, jobs.RunAt(start.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue(ctx, "later", nil, jobs.Delay(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	runDue(t, q)
	clk.Advance(time.Hour)
	runDue(t, q)
	if ran != 1 {
		t.Fatalf("after 1h ran %d, want 1", ran)
	}
	clk.Advance(time.Hour)
	runDue(t, q)
	if ran != 2 {
		t.Fatalf("after 2h ran %d, want 2", ran)
	}
}

func TestRetryWithBackoffThenSuccess(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{BackoffBase: 10 * time.Second, BackoffMax: time.Hour})
	ctx := context.Background()
	calls := 0
	q.Register("flaky", func(ctx context.Context, j *jobs.Job) error {
		calls++
		if j.Attempt != calls {
			t.Errorf("call %d saw attempt %d", calls, j.Attempt)
		}
		if calls < 3 {
			return fmt.Errorf("gateway down (%d)", calls)
		}
		return nil
	})
	id, err := q.Enqueue(ctx, "flaky", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Attempt n waits between half and all of 10s·2^(n-1).
	for attempt := 1; attempt <= 2; attempt++ {
		now := clk.Now()
		if n := runDue(t, q); n != 1 {
			t.Fatalf("attempt %d: RunDue ran %d", attempt, n)
		}
		j := get(t, q, id)
		step := 10 * time.Second << (attempt - 1)
		wait := j.RunAt.Sub(now)
		if j.State != jobs.StateAvailable || j.Attempt != attempt || wait < step/2 || wait > step {
			t.Fatalf("after attempt %d: state %s attempt %d retry in %v (want %v..%v)", attempt, j.State, j.Attempt, wait, step/2, step)
		}
		if j.LastError != fmt.Sprintf("gateway down (%d)", attempt) {
			t.Fatalf("last_error = %q", j.LastError)
		}
		if n := runDue(t, q); n != 0 {
			t.Fatalf("retry ran before its backoff (%d)", n)
		}
		clk.Set(j.RunAt)
	}
	if n := runDue(t, q); n != 1 {
		t.Fatalf("third attempt: RunDue ran %d", n)
	}
	j := get(t, q, id)
	if j.State != jobs.StateSucceeded || j.Attempt != 3 || j.LastError != "gateway down (2)" {
		t.Fatalf("after success: %+v", j)
	}
}

func TestMaxAttemptsFailsVisiblyAndRetryPutsItBack(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	healthy := false
	q.Register("sms", func(context.Context, *jobs.Job) error {
		if healthy {
			return nil
		}
		return errors.New("provider rejected the request")
	}, jobs.WithMaxAttempts(3))
	id, err := q.Enqueue(ctx, "sms", nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := q.Enqueue(ctx, "sms", nil, jobs.RunAt(start.Add(24*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if n := runDue(t, q); n != 1 {
			t.Fatalf("round %d ran %d", i, n)
		}
		clk.Advance(2 * time.Hour)
	}
	j := get(t, q, id)
	if j.State != jobs.StateFailed || j.Attempt != 3 || j.MaxAttempts != 3 || j.FinishedAt.IsZero() {
		t.Fatalf("after 3 failures: %+v", j)
	}
	failed, err := q.List(ctx, jobs.Filter{State: jobs.StateFailed})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].ID != id || failed[0].LastError != "provider rejected the request" {
		t.Fatalf("failed list = %+v", failed)
	}
	counts, err := q.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[jobs.StateFailed] != 1 || counts[jobs.StateAvailable] != 1 || counts[jobs.StateSucceeded] != 0 || counts[jobs.StateRunning] != 0 {
		t.Fatalf("counts = %v", counts)
	}
	all, err := q.List(ctx, jobs.Filter{Kind: "sms"})
	if err != nil || len(all) != 2 || all[0].ID != other || all[1].ID != id {
		t.Fatalf("list by kind, newest first = %+v, %v", all, err)
	}
	page, err := q.List(ctx, jobs.Filter{Kind: "sms", BeforeID: other, Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID != id {
		t.Fatalf("second page = %+v, %v", page, err)
	}

	if err := q.Retry(ctx, other); err == nil {
		t.Fatal("Retry accepted a job that has not failed")
	}
	if err := q.Retry(ctx, 999999); !errors.Is(err, jobs.ErrNotFound) {
		t.Fatalf("Retry of a missing job: %v", err)
	}
	if err := q.Retry(ctx, id); err != nil {
		t.Fatal(err)
	}
	j = get(t, q, id)
	if j.State != jobs.StateAvailable || j.Attempt != 0 || !j.FinishedAt.IsZero() {
		t.Fatalf("after Retry: %+v", j)
	}
	healthy = true
	runDue(t, q)
	if j := get(t, q, id); j.State != jobs.StateSucceeded || j.Attempt != 1 {
		t.Fatalf("retried job: %+v", j)
	}
}

func TestPermanentErrorsAndBadPayloadsFailAtOnce(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	q.Register("permanent", func(context.Context, *jobs.Job) error {
		return jobs.Permanent(errors.New("no such recipient"))
	})
	q.Register("typed", jobs.Decoded(func(context.Context, *jobs.Job, greeting) error { return nil }))
	a, _ := q.Enqueue(ctx, "permanent", nil)
	b, _ := q.Enqueue(ctx, "typed", []int{1, 2})
	runDue(t, q)
	for _, id := range []int64{a, b} {
		if j := get(t, q, id); j.State != jobs.StateFailed || j.Attempt != 1 {
			t.Errorf("job %d (%s): state %s after attempt %d, want failed after 1", id, j.Kind, j.State, j.Attempt)
		}
	}
}

func TestPanicAndUnknownKindAreFailures(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	q.Register("explode", func(context.Context, *jobs.Job) error { panic("nil map in handler") })
	p, _ := q.Enqueue(ctx, "explode", nil)
	u, _ := q.Enqueue(ctx, "no.such.kind", nil)
	if n := runDue(t, q); n != 2 {
		t.Fatalf("ran %d", n)
	}
	if j := get(t, q, p); j.State != jobs.StateAvailable || j.LastError != "panic: nil map in handler" {
		t.Fatalf("panicking job: %+v", j)
	}
	if j := get(t, q, u); j.State != jobs.StateAvailable || !strings.Contains(j.LastError, `no handler registered for kind "no.such.kind"`) {
		t.Fatalf("unknown kind: %+v", j)
	}
}

func TestUniqueKeyDeduplicatesWhilePending(t *testing.T) {
	clk := clock.NewManual(start)
	q, db := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	ran := 0
	q.Register("recompute", func(context.Context, *jobs.Job) error { ran++; return nil })
	a, err := q.Enqueue(ctx, "recompute", nil, jobs.UniqueKey("unit:42"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := q.Enqueue(ctx, "recompute", nil, jobs.UniqueKey("unit:42"))
	if err != nil || b != a {
		t.Fatalf("second enqueue = %d, %v; want existing %d", b, err, a)
	}
	// Inside a caller's transaction the duplicate is a no-op too, and the
	// transaction stays usable (PostgreSQL aborts a transaction on a
	// unique violation; the insert must not cause one).
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := q.EnqueueTx(ctx, tx, "recompute", nil, jobs.UniqueKey("unit:42"))
		if err != nil {
			return err
		}
		if c != a {
			return fmt.Errorf("EnqueueTx dedup returned %d, want %d", c, a)
		}
		_, err = q.EnqueueTx(ctx, tx, "recompute", nil, jobs.UniqueKey("unit:43"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := runDue(t, q); n != 2 || ran != 2 {
		t.Fatalf("ran %d/%d, want 2 (one per key)", n, ran)
	}
	// The key is free once its job has finished.
	c, err := q.Enqueue(ctx, "recompute", nil, jobs.UniqueKey("unit:42"))
	if err != nil || c == a {
		t.Fatalf("enqueue after completion = %d, %v; want a new job", c, err)
	}
}

func TestEnqueueTxExistsOnlyIfTheTransactionCommits(t *testing.T) {
	clk := clock.NewManual(start)
	q, db := newQueue(t, clk, jobs.Options{})
	ctx := context.Background()
	ran := 0
	q.Register("audit", func(context.Context, *jobs.Job) error { ran++; return nil })
	rollback := errors.New("citizen report rejected")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := q.EnqueueTx(ctx, tx, "audit", map[string]int{"report": 1}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if n := runDue(t, q); n != 0 || ran != 0 {
		t.Fatalf("a rolled-back job ran (%d)", n)
	}
	if all, _ := q.List(ctx, jobs.Filter{}); len(all) != 0 {
		t.Fatalf("rolled-back job is listed: %+v", all)
	}
	var id int64
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		id, err = q.EnqueueTx(ctx, tx, "audit", map[string]int{"report": 2})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	runDue(t, q)
	if j := get(t, q, id); ran != 1 || j.State != jobs.StateSucceeded {
		t.Fatalf("committed job: ran %d, %+v", ran, j)
	}
}

func TestGracefulShutdownRequeuesUnfinishedJob(t *testing.T) {
	clk := clock.NewManual(start)
	q, db := newQueue(t, clk, jobs.Options{PollInterval: 5 * time.Millisecond, ShutdownTimeout: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	// The handler ignores its context on purpose: shutdown must be bounded
	// even for a handler that does not cooperate.
	q.Register("slow", func(context.Context, *jobs.Job) error {
		close(started)
		<-release
		return nil
	})
	id, err := q.Enqueue(ctx, "slow", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	<-started
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	j := get(t, q, id)
	if j.State != jobs.StateAvailable || j.Attempt != 0 || j.LockedBy != "" {
		t.Fatalf("after shutdown: %+v", j)
	}

	// The next process runs it.
	next := jobs.New(db, clk, quiet(), jobs.Options{})
	next.Register("slow", func(context.Context, *jobs.Job) error { return nil })
	if n := runDue(t, next); n != 1 {
		t.Fatalf("next process ran %d", n)
	}
	if j := get(t, next, id); j.State != jobs.StateSucceeded || j.Attempt != 1 {
		t.Fatalf("after rerun: %+v", j)
	}
}

func TestGracefulShutdownLetsRunningJobFinish(t *testing.T) {
	clk := clock.NewManual(start)
	// One worker, busy with the first job: when it is done it must stop
	// rather than take the job enqueued during shutdown.
	q, _ := newQueue(t, clk, jobs.Options{Workers: 1, PollInterval: 5 * time.Millisecond, ShutdownTimeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	proceed := make(chan struct{})
	q.Register("finishing", func(ctx context.Context, _ *jobs.Job) error {
		close(started)
		<-proceed
		// Shutdown has begun, but the handler's context is still live.
		return ctx.Err()
	})
	id, _ := q.Enqueue(ctx, "finishing", nil)
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	<-started
	cancel()
	// Enqueued after shutdown began: must not be claimed by this process.
	later, err := q.Enqueue(context.Background(), "finishing", nil)
	if err != nil {
		t.Fatal(err)
	}
	close(proceed)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if j := get(t, q, id); j.State != jobs.StateSucceeded {
		t.Fatalf("in-flight job: %+v", j)
	}
	if j := get(t, q, later); j.State != jobs.StateAvailable || j.Attempt != 0 {
		t.Fatalf("job enqueued during shutdown: %+v", j)
	}
}

func TestTwoProcessesRunEachJobExactlyOnce(t *testing.T) {
	db1, db2 := openTwice(t)
	opts := func(id string) jobs.Options {
		return jobs.Options{Workers: 4, PollInterval: 5 * time.Millisecond, WorkerID: id}
	}
	q1 := jobs.New(db1, nil, quiet(), opts("server-1"))
	q2 := jobs.New(db2, nil, quiet(), opts("server-2"))

	var mu sync.Mutex
	runs := map[int64]int{}
	by := map[string]int{}
	for i, q := range []*jobs.Queue{q1, q2} {
		name := fmt.Sprint("server-", i+1)
		q.Register("count", func(ctx context.Context, j *jobs.Job) error {
			mu.Lock()
			runs[j.ID]++
			by[name]++
			mu.Unlock()
			return nil
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, q := range []*jobs.Queue{q1, q2} {
		wg.Go(func() {
			if err := q.Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	const total = 200
	ids := make([]int64, 0, total)
	for i := range total {
		q := q1
		if i%2 == 1 {
			q = q2
		}
		id, err := q.Enqueue(context.Background(), "count", map[string]int{"n": i})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	waitFor(t, "all jobs to succeed", func() bool {
		c, err := q1.Counts(context.Background())
		return err == nil && c[jobs.StateSucceeded] == total
	})
	cancel()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job %d ran %d times", id, runs[id])
		}
	}
	if len(runs) != total {
		t.Errorf("%d distinct jobs ran, want %d", len(runs), total)
	}
	t.Logf("engine %s: server-1 ran %d, server-2 ran %d", dbtest.Engine(), by["server-1"], by["server-2"])
}

func TestSchedulesEnqueueOncePerPeriodAcrossProcesses(t *testing.T) {
	db1, db2 := openTwice(t)
	clk := clock.NewManual(start.Add(15 * time.Second))
	var runs atomic.Int64
	var queues []*jobs.Queue
	for _, db := range []*database.DB{db1, db2} {
		q := jobs.New(db, clk, quiet(), jobs.Options{})
		q.Register("sla.scan", func(context.Context, *jobs.Job) error { runs.Add(1); return nil })
		q.Schedule("sla.scan", time.Minute)
		queues = append(queues, q)
	}
	ctx := context.Background()
	const periods = 5
	for p := range periods {
		// Both servers tick several times within the period, concurrently.
		var added atomic.Int64
		var wg sync.WaitGroup
		for range 3 {
			for _, q := range queues {
				wg.Go(func() {
					n, err := q.EnqueueSchedules(ctx)
					if err != nil {
						t.Error(err)
					}
					added.Add(int64(n))
				})
			}
		}
		wg.Wait()
		if added.Load() != 1 {
			t.Fatalf("period %d: %d jobs enqueued, want 1", p, added.Load())
		}
		for _, q := range queues {
			runDue(t, q)
		}
		clk.Advance(time.Minute)
	}
	if runs.Load() != periods {
		t.Fatalf("scan ran %d times over %d periods", runs.Load(), periods)
	}

	// A run still waiting holds the schedule's key, so a backlog does not
	// pile up more runs behind it.
	if n, _ := queues[0].EnqueueSchedules(ctx); n != 1 {
		t.Fatalf("new period enqueued %d", n)
	}
	clk.Advance(time.Minute)
	if n, _ := queues[1].EnqueueSchedules(ctx); n != 0 {
		t.Fatalf("a second run was queued behind a waiting one (%d)", n)
	}
}

func TestPayloadsNeverReachTheLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := clock.NewManual(start)
	db := dbtest.New(t, jobs.Migrations)
	q := jobs.New(db, clk, logger, jobs.Options{})
	ctx := context.Background()
	q.Register("otp", func(context.Context, *jobs.Job) error { return errors.New("gateway timeout") }, jobs.WithMaxAttempts(2))
	q.Register("boom", func(context.Context, *jobs.Job) error { panic("boom") })
	q.Register("ok", func(context.Context, *jobs.Job) error { return nil })
	secret := "kode OTP 493817 untuk 081234567890"
	for _, kind := range []string{"otp", "boom", "ok"} {
		if _, err := q.Enqueue(ctx, kind, map[string]string{"body": secret}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		runDue(t, q)
		clk.Advance(2 * time.Hour)
	}
	if buf.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	if strings.Contains(buf.String(), "493817") || strings.Contains(buf.String(), "081234567890") {
		t.Fatalf("payload leaked into the log:\n%s", buf.String())
	}
}

func TestPruneRemovesOldFinishedJobsOnly(t *testing.T) {
	clk := clock.NewManual(start)
	q, _ := newQueue(t, clk, jobs.Options{KeepSucceeded: time.Hour, KeepFailed: 48 * time.Hour})
	ctx := context.Background()
	q.Register("ok", func(context.Context, *jobs.Job) error { return nil })
	q.Register("bad", func(context.Context, *jobs.Job) error { return jobs.Permanent(errors.New("no")) })
	ok, _ := q.Enqueue(ctx, "ok", nil)
	bad, _ := q.Enqueue(ctx, "bad", nil)
	runDue(t, q)
	waiting, _ := q.Enqueue(ctx, "ok", nil, jobs.RunAt(start.Add(365*24*time.Hour)))
	clk.Advance(2 * time.Hour)
	if n, err := q.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("prune = %d, %v; want the succeeded job only", n, err)
	}
	if _, err := q.Get(ctx, ok); !errors.Is(err, jobs.ErrNotFound) {
		t.Fatalf("succeeded job still there: %v", err)
	}
	get(t, q, bad)
	clk.Advance(48 * time.Hour)
	if n, _ := q.Prune(ctx); n != 1 {
		t.Fatalf("prune of the old failed job = %d", n)
	}
	if j := get(t, q, waiting); j.State != jobs.StateAvailable {
		t.Fatalf("waiting job: %+v", j)
	}
}

func BenchmarkEnqueueAndRun(b *testing.B) {
	db := dbtest.New(b, jobs.Migrations)
	q := jobs.New(db, nil, quiet(), jobs.Options{})
	q.Register("noop", func(context.Context, *jobs.Job) error { return nil })
	ctx := context.Background()
	for b.Loop() {
		if _, err := q.Enqueue(ctx, "noop", nil); err != nil {
			b.Fatal(err)
		}
		if _, err := q.RunDue(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
