package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Schedule makes kind a periodic job: once per period of length every
// (periods are aligned to the clock, e.g. every minute on the minute), one
// job of the kind is enqueued with a null payload, however many processes
// share the database. The handler is registered separately with Register.
//
// A scheduled job also carries the unique key "schedule:<kind>", so while
// one run is still waiting or running the next period adds nothing: a slow
// or backed-up scan is not piled up behind itself.
//
// Scheduling a kind twice or with a non-positive period panics.
func (q *Queue) Schedule(kind string, every time.Duration) {
	if kind == "" || every <= 0 {
		panic("jobs: Schedule needs a kind and a positive period")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, dup := q.schedules[kind]; dup {
		panic("jobs: kind " + kind + " scheduled twice")
	}
	q.schedules[kind] = every
}

// EnqueueSchedules enqueues the current period's job of every schedule
// whose period no process has enqueued yet, and returns how many jobs it
// added. Run calls it every poll; RunDue calls it once.
func (q *Queue) EnqueueSchedules(ctx context.Context) (int, error) {
	q.mu.RLock()
	periods := maps.Clone(q.schedules)
	q.mu.RUnlock()
	kinds := slices.Sorted(maps.Keys(periods))

	now := q.clk.Now()
	added := 0
	for _, kind := range kinds {
		period := database.TimeArg(now.Truncate(periods[kind]))
		// Read first: in the usual case the period is already taken and
		// no write (on SQLite, no write lock) is needed.
		var last string
		err := q.db.QueryRowContext(ctx, `SELECT last_period FROM job_schedules WHERE kind = $1`, kind).Scan(&last)
		if err != nil && err != sql.ErrNoRows {
			return added, fmt.Errorf("jobs: schedule %s: %w", kind, err)
		}
		if err == nil && last >= period {
			continue
		}
		var inserted bool
		err = q.db.Tx(ctx, func(tx *sql.Tx) error {
			inserted = false
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO job_schedules (kind, last_period) VALUES ($1, '') ON CONFLICT (kind) DO NOTHING`, kind); err != nil {
				return err
			}
			// The conditional update is the claim on the period: of
			// several processes, exactly one sees a row change (on
			// PostgreSQL the others wait on the row lock and then find
			// the condition false).
			res, err := tx.ExecContext(ctx,
				`UPDATE job_schedules SET last_period = $2 WHERE kind = $1 AND last_period < $2`, kind, period)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			_, inserted, err = q.insert(ctx, tx, kind, nil, []EnqueueOption{UniqueKey("schedule:" + kind)})
			return err
		})
		if err != nil {
			return added, fmt.Errorf("jobs: schedule %s: %w", kind, err)
		}
		if inserted {
			added++
		}
	}
	return added, nil
}
