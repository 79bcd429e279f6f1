package jobs

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// maxErrorLen bounds last_error: a handler may return a huge error (a whole
// HTTP response), and the column is for a person to read.
const maxErrorLen = 2000

// writeTimeout bounds the bookkeeping writes that must happen even while
// the queue shuts down.
const writeTimeout = 15 * time.Second

// execute runs one claimed attempt and records its outcome. hard is the
// context whose end means "stop now": the handler is cancelled and the job
// requeued without waiting for the handler to return.
func (q *Queue) execute(hard context.Context, j *Job) {
	k, ok := q.kind(j.Kind)
	if !ok {
		q.finish(j, fmt.Errorf("jobs: no handler registered for kind %q in worker %s", j.Kind, q.opts.WorkerID))
		return
	}
	ctx, cancel := context.WithTimeout(hard, k.timeout)
	defer cancel()
	hb := q.startHeartbeat(j, cancel)

	done := make(chan error, 1) // buffered: an abandoned handler can still return
	go func() { done <- q.call(ctx, k.handler, j) }()

	var err error
	select {
	case err = <-done:
	case <-hard.Done():
		select {
		case err = <-done: // it finished just in time: keep its result
		default:
			hb.stop()
			q.requeue(j, "hard shutdown")
			return
		}
	}
	if hb.stop() {
		// Another worker owns the job now; whatever this attempt did, the
		// row is not ours to write.
		q.log.Warn("jobs: lease lost while running; result discarded", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt)
		return
	}
	if err != nil && hard.Err() != nil {
		// The failure is the shutdown's doing, not the job's.
		q.requeue(j, "shutdown")
		return
	}
	q.finish(j, err)
}

// call runs the handler, turning a panic into an error so that one bad job
// cannot take the worker (or the process) down.
func (q *Queue) call(ctx context.Context, h HandlerFunc, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
			q.log.Error("jobs: handler panicked", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	return h(ctx, j)
}

// owned is the WHERE clause that fences every write about a running job:
// the row must still be running under this worker's lease for this attempt.
// A job rescued after an expired lease and claimed again has a new attempt
// number, so a late writer from the old attempt changes nothing.
const owned = `id = $1 AND state = 'running' AND locked_by = $2 AND attempt = $3`

// finish records an attempt's outcome.
func (q *Queue) finish(j *Job, runErr error) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	now := q.clk.Now()
	var query string
	var args []any
	switch {
	case runErr == nil:
		query = `UPDATE jobs SET state = 'succeeded', finished_at = $4, locked_by = NULL, locked_until = NULL WHERE ` + owned
		args = []any{database.TimeArg(now)}
		q.log.Debug("jobs: succeeded", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt)
	case j.Attempt >= j.MaxAttempts || IsPermanent(runErr):
		query = `UPDATE jobs SET state = 'failed', finished_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL WHERE ` + owned
		args = []any{database.TimeArg(now), truncateError(runErr)}
		q.log.Error("jobs: failed for good", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt,
			"max_attempts", j.MaxAttempts, "permanent", IsPermanent(runErr), "error", runErr)
	default:
		next := now.Add(q.backoff(j.Attempt))
		query = `UPDATE jobs SET state = 'available', run_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL WHERE ` + owned
		args = []any{database.TimeArg(next), truncateError(runErr)}
		q.log.Warn("jobs: attempt failed; will retry", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt,
			"max_attempts", j.MaxAttempts, "retry_at", next, "error", runErr)
	}
	res, err := q.db.ExecContext(ctx, query, append([]any{j.ID, q.opts.WorkerID, j.Attempt}, args...)...)
	if err != nil {
		// The lease will expire and the job run again: at least once.
		q.log.Error("jobs: could not record outcome", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt, "error", err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		q.log.Warn("jobs: lease lost before the outcome was recorded", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt)
	}
}

// requeue gives back a job this worker could not finish because it is
// stopping. The attempt is not counted: the job did nothing wrong.
func (q *Queue) requeue(j *Job, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	_, err := q.db.ExecContext(ctx, `UPDATE jobs SET state = 'available', attempt = attempt - 1, run_at = $4,
	locked_by = NULL, locked_until = NULL WHERE `+owned,
		j.ID, q.opts.WorkerID, j.Attempt, database.TimeArg(q.clk.Now()))
	if err != nil {
		q.log.Error("jobs: could not requeue; the lease will expire instead", "kind", j.Kind, "id", j.ID, "error", err)
		return
	}
	q.log.Warn("jobs: requeued unfinished job", "kind", j.Kind, "id", j.ID, "attempt", j.Attempt, "reason", why)
}

func truncateError(err error) string {
	s := err.Error()
	if len(s) <= maxErrorLen {
		return s
	}
	s = s[:maxErrorLen]
	// Do not cut a multi-byte character in half: PostgreSQL rejects
	// invalid UTF-8 in TEXT.
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// heartbeat renews a running job's lease until stopped.
type heartbeat struct {
	once sync.Once
	quit chan struct{}
	done chan struct{}
	lost bool
}

// startHeartbeat renews j's lease every Lease/3. If the row is no longer
// ours (the lease expired and the job was rescued) it cancels the handler
// through onLost: two workers must not both run it on purpose.
func (q *Queue) startHeartbeat(j *Job, onLost context.CancelFunc) *heartbeat {
	hb := &heartbeat{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(hb.done)
		t := time.NewTicker(max(q.opts.Lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-hb.quit:
				return
			case <-t.C:
				lost, err := q.extendLease(j)
				if err != nil {
					// The database may be back before the lease runs out.
					q.log.Warn("jobs: could not renew lease", "kind", j.Kind, "id", j.ID, "error", err)
					continue
				}
				if lost {
					hb.lost = true
					onLost()
					return
				}
			}
		}
	}()
	return hb
}

// stop ends the heartbeat and reports whether the lease was lost.
func (hb *heartbeat) stop() bool {
	hb.once.Do(func() { close(hb.quit) })
	<-hb.done
	return hb.lost
}

// extendLease pushes locked_until a full lease ahead; lost is true when the
// row is no longer this worker's.
func (q *Queue) extendLease(j *Job) (lost bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	res, err := q.db.ExecContext(ctx, `UPDATE jobs SET locked_until = $4 WHERE `+owned,
		j.ID, q.opts.WorkerID, j.Attempt, database.TimeArg(q.clk.Now().Add(q.opts.Lease)))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 0, nil
}
