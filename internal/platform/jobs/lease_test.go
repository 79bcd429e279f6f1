package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
)

// These tests reach inside the worker to stop it between claim and
// outcome, which is what a process that dies mid-job looks like.

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func twoWorkers(t *testing.T, clk clock.Clock) (*Queue, *Queue, *database.DB) {
	t.Helper()
	db := dbtest.New(t, Migrations)
	logger := slog.New(slog.DiscardHandler)
	opts := Options{Lease: time.Minute}
	opts.WorkerID = "crashed"
	a := New(db, clk, logger, opts)
	opts.WorkerID = "survivor"
	b := New(db, clk, logger, opts)
	return a, b, db
}

func TestExpiredLeaseOfCrashedWorkerIsRunAgain(t *testing.T) {
	clk := clock.NewManual(t0)
	crashed, survivor, _ := twoWorkers(t, clk)
	ctx := context.Background()
	ran := 0
	survivor.Register("report.recount", func(context.Context, *Job) error { ran++; return nil })
	id, err := crashed.Enqueue(ctx, "report.recount", nil)
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := crashed.claim(ctx)
	if err != nil || claimed == nil || claimed.ID != id {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	// The claimer dies here. Until its lease expires nobody else runs it.
	if n, err := survivor.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("job ran under a live lease (%d, %v)", n, err)
	}
	clk.Advance(time.Minute)
	if n, err := survivor.RunDue(ctx); err != nil || n != 1 || ran != 1 {
		t.Fatalf("after the lease expired: ran %d (%d), %v", n, ran, err)
	}
	j, err := survivor.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != StateSucceeded || j.Attempt != 2 || !strings.Contains(j.LastError, "lease expired: worker crashed") {
		t.Fatalf("rerun job: %+v", j)
	}

	// A late word from the dead attempt changes nothing: its writes are
	// fenced by worker and attempt.
	crashed.finish(claimed, errors.New("late failure"))
	crashed.requeue(claimed, "late")
	if lost, err := crashed.extendLease(claimed); err != nil || !lost {
		t.Fatalf("old attempt's lease renewal: lost=%v, %v", lost, err)
	}
	if after, _ := survivor.Get(ctx, id); after.State != StateSucceeded || after.LastError != j.LastError || after.Attempt != 2 {
		t.Fatalf("stale writer changed the job: %+v", after)
	}
}

func TestExpiredLeaseOnLastAttemptFailsTheJob(t *testing.T) {
	clk := clock.NewManual(t0)
	crashed, survivor, _ := twoWorkers(t, clk)
	ctx := context.Background()
	survivor.Register("oom", func(context.Context, *Job) error { return nil })
	id, _ := crashed.Enqueue(ctx, "oom", nil, MaxAttempts(1))
	if j, err := crashed.claim(ctx); err != nil || j == nil {
		t.Fatalf("claim: %v", err)
	}
	clk.Advance(2 * time.Minute)
	if n, err := survivor.RunDue(ctx); err != nil || n != 0 {
		t.Fatalf("ran %d, %v: a job that used its last attempt ran again", n, err)
	}
	j, _ := survivor.Get(ctx, id)
	if j.State != StateFailed || j.FinishedAt.IsZero() {
		t.Fatalf("job: %+v", j)
	}
}

func TestHeartbeatKeepsTheLease(t *testing.T) {
	clk := clock.NewManual(t0)
	worker, other, _ := twoWorkers(t, clk)
	ctx := context.Background()
	if _, err := worker.Enqueue(ctx, "long.export", nil); err != nil {
		t.Fatal(err)
	}
	j, err := worker.claim(ctx)
	if err != nil || j == nil {
		t.Fatalf("claim: %v", err)
	}
	clk.Advance(40 * time.Second)
	if lost, err := worker.extendLease(j); err != nil || lost {
		t.Fatalf("renewal: lost=%v, %v", lost, err)
	}
	// Past the first lease, inside the renewed one: still ours.
	clk.Advance(40 * time.Second)
	if n, err := other.rescue(ctx); err != nil || n != 0 {
		t.Fatalf("rescued a renewed lease (%d, %v)", n, err)
	}
	clk.Advance(time.Minute)
	if n, err := other.rescue(ctx); err != nil || n != 1 {
		t.Fatalf("rescue of an expired lease = %d, %v", n, err)
	}
	if lost, err := worker.extendLease(j); err != nil || !lost {
		t.Fatalf("renewal after rescue: lost=%v, %v", lost, err)
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	q := New(nil, nil, slog.New(slog.DiscardHandler), Options{BackoffBase: 10 * time.Second, BackoffMax: 10 * time.Minute})
	step := 10 * time.Second
	for attempt := 1; attempt <= 100; attempt++ {
		for range 20 {
			d := q.backoff(attempt)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
		step = min(2*step, 10*time.Minute)
	}
}

func TestTruncateErrorKeepsValidUTF8(t *testing.T) {
	long := strings.Repeat("é", maxErrorLen) // two bytes each
	got := truncateError(errors.New(long))
	if len(got) > maxErrorLen+len("…") || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "éé") {
		t.Fatalf("truncated to %d bytes", len(got))
	}
	for _, r := range strings.TrimSuffix(got, "…") {
		if r != 'é' {
			t.Fatalf("cut a character in half: %q", r)
		}
	}
}
