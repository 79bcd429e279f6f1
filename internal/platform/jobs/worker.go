package jobs

import (
	"context"
	"sync"
	"time"
)

// pruneEvery spaces out deletions of old finished jobs; retention is
// counted in days, so once an hour is plenty.
const pruneEvery = time.Hour

// Run works the queue until ctx ends: Workers goroutines claim and run due
// jobs, and a maintenance loop takes back expired leases, enqueues
// scheduled jobs and prunes old ones. When ctx ends, workers stop claiming,
// running jobs get ShutdownTimeout to finish, and jobs still running after
// that are cancelled and put back to available for the next process. Run
// then returns nil; it returns only after every worker has stopped.
func (q *Queue) Run(ctx context.Context) error {
	// hard outlives ctx by the shutdown grace: it is what running handlers
	// see, so that ending ctx stops claims but not work in progress.
	hard, stopHard := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHard()

	q.log.Info("jobs: starting", "workers", q.opts.Workers, "poll", q.opts.PollInterval, "lease", q.opts.Lease)
	var wg sync.WaitGroup
	for range q.opts.Workers {
		wg.Go(func() { q.work(ctx, hard) })
	}
	wg.Go(func() { q.maintain(ctx) })

	<-ctx.Done()
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(q.opts.ShutdownTimeout):
		q.log.Warn("jobs: shutdown timeout reached; cancelling running jobs", "timeout", q.opts.ShutdownTimeout)
		stopHard()
		<-stopped
	}
	q.log.Info("jobs: stopped")
	return nil
}

// work is one worker: claim, run, repeat; sleep when nothing is due.
func (q *Queue) work(ctx, hard context.Context) {
	for ctx.Err() == nil {
		j, err := q.claim(ctx)
		if err != nil && ctx.Err() == nil {
			q.log.Error("jobs: claim failed", "error", err)
		}
		if j != nil {
			q.execute(hard, j)
			continue // there may be more due: look again at once
		}
		select {
		case <-ctx.Done():
		case <-q.wake:
		case <-time.After(q.opts.PollInterval):
		}
	}
}

// maintain runs the housekeeping every process shares: any of them may
// take back an expired lease or enqueue a period's scheduled job, and the
// database makes sure it happens once.
func (q *Queue) maintain(ctx context.Context) {
	var lastPrune time.Time
	for {
		if _, err := q.rescue(ctx); err != nil && ctx.Err() == nil {
			q.log.Error("jobs: rescue failed", "error", err)
		}
		if _, err := q.EnqueueSchedules(ctx); err != nil && ctx.Err() == nil {
			q.log.Error("jobs: scheduling failed", "error", err)
		}
		if now := q.clk.Now(); now.Sub(lastPrune) >= pruneEvery {
			if _, err := q.Prune(ctx); err != nil && ctx.Err() == nil {
				q.log.Error("jobs: prune failed", "error", err)
			}
			lastPrune = now
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(q.opts.PollInterval):
		}
	}
}

// RunDue runs, in the calling goroutine, every job that is due now: it
// takes back expired leases, enqueues the current period of each schedule,
// then claims and runs jobs one at a time until none is due. It returns how
// many attempts it ran; handler failures are recorded on the jobs, not
// returned. Tests and the command line use it instead of Run.
func (q *Queue) RunDue(ctx context.Context) (int, error) {
	if _, err := q.rescue(ctx); err != nil {
		return 0, err
	}
	if _, err := q.EnqueueSchedules(ctx); err != nil {
		return 0, err
	}
	n := 0
	for ctx.Err() == nil {
		j, err := q.claim(ctx)
		if err != nil {
			return n, err
		}
		if j == nil {
			return n, nil
		}
		q.execute(ctx, j)
		n++
	}
	return n, ctx.Err()
}

// nudge wakes one idle local worker so that a job enqueued here starts
// before the next poll. It never blocks; one pending wake-up is enough.
func (q *Queue) nudge() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}
