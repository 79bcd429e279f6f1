package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Filter selects jobs for the administrator's view. Empty fields match all.
type Filter struct {
	State string
	Kind  string
	// BeforeID pages backwards: only jobs with a smaller id.
	BeforeID int64
	// Limit defaults to 50 and is capped at 500.
	Limit int
}

// Get returns one job, or ErrNotFound.
func (q *Queue) Get(ctx context.Context, id int64) (*Job, error) {
	j, err := scanJob(q.db.QueryRowContext(ctx, `SELECT `+jobColumns("")+` FROM jobs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: get %d: %w", id, err)
	}
	return j, nil
}

// List returns jobs matching f, newest first.
func (q *Queue) List(ctx context.Context, f Filter) ([]Job, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.State != "" {
		add("state = $%d", f.State)
	}
	if f.Kind != "" {
		add("kind = $%d", f.Kind)
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	query := `SELECT ` + jobColumns("") + ` FROM jobs`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args))

	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("jobs: list: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("jobs: list: %w", err)
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// Retry puts a failed job back: available now, with a fresh set of
// attempts. last_error is kept until the next attempt replaces it.
func (q *Queue) Retry(ctx context.Context, id int64) error { return q.RetryTx(ctx, id, nil) }

// RetryTx is Retry with a hook that runs in the same transaction after
// the job was put back, so an administrator's audit record commits with
// the retry or not at all.
func (q *Queue) RetryTx(ctx context.Context, id int64, inTx func(tx *sql.Tx) error) error {
	var retried bool
	err := q.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'available', attempt = 0, run_at = $2, finished_at = NULL
WHERE id = $1 AND state = 'failed'`, id, database.TimeArg(q.clk.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		retried = true
		if inTx != nil {
			return inTx(tx)
		}
		return nil
	})
	if database.IsUniqueViolation(err) {
		return fmt.Errorf("jobs: job %d cannot be retried while another job with its unique key is waiting or running", id)
	}
	if err != nil {
		return fmt.Errorf("jobs: retry %d: %w", id, err)
	}
	if retried {
		q.log.Info("jobs: failed job put back by an administrator", "id", id)
		q.nudge()
		return nil
	}
	j, err := q.Get(ctx, id)
	if err != nil {
		return err
	}
	return fmt.Errorf("jobs: job %d is %s; only failed jobs can be retried", id, j.State)
}

// Counts returns how many jobs are in each state (every state is present,
// zeros included), for metrics and the admin dashboard.
func (q *Queue) Counts(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int, len(States))
	for _, s := range States {
		out[s] = 0
	}
	rows, err := q.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM jobs GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("jobs: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("jobs: counts: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}

// Prune deletes succeeded jobs older than KeepSucceeded and failed jobs
// older than KeepFailed, and returns how many it deleted. Run calls it
// hourly; it removes finished work only, never waiting or running jobs.
func (q *Queue) Prune(ctx context.Context) (int64, error) {
	now := q.clk.Now()
	res, err := q.db.ExecContext(ctx, `DELETE FROM jobs
WHERE (state = 'succeeded' AND finished_at < $1) OR (state = 'failed' AND finished_at < $2)`,
		database.TimeArg(now.Add(-q.opts.KeepSucceeded)), database.TimeArg(now.Add(-q.opts.KeepFailed)))
	if err != nil {
		return 0, fmt.Errorf("jobs: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		q.log.Info("jobs: pruned finished jobs", "count", n)
	}
	return n, nil
}
