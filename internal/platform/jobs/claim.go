package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// jobColumns is the column list scanJob reads, optionally qualified with a
// table name (PostgreSQL's UPDATE … FROM needs it to tell jobs.id from the
// CTE's id).
func jobColumns(table string) string {
	cols := []string{"id", "kind", "payload", "state", "attempt", "max_attempts", "run_at", "created_at",
		"attempted_at", "finished_at", "last_error", "unique_key", "locked_by", "locked_until"}
	if table != "" {
		for i, c := range cols {
			cols[i] = table + "." + c
		}
	}
	return strings.Join(cols, ", ")
}

type rowScanner interface{ Scan(dest ...any) error }

func scanJob(r rowScanner) (*Job, error) {
	var j Job
	var payload string
	var key, lockedBy sql.NullString
	err := r.Scan(&j.ID, &j.Kind, &payload, &j.State, &j.Attempt, &j.MaxAttempts,
		database.T(&j.RunAt), database.T(&j.CreatedAt), database.T(&j.AttemptedAt), database.T(&j.FinishedAt),
		&j.LastError, &key, &lockedBy, database.T(&j.LockedUntil))
	if err != nil {
		return nil, err
	}
	j.Payload = []byte(payload)
	j.UniqueKey = key.String
	j.LockedBy = lockedBy.String
	return &j, nil
}

// The claim differs between engines only in how rows are kept from two
// claimers. PostgreSQL locks the chosen row and skips rows other claimers
// hold, so concurrent workers take different jobs without waiting; the CTE
// makes the LIMIT apply once, before the update. SQLite has one writer at a
// time (the writer's transactions start IMMEDIATE), so the select and the
// update cannot interleave with another claim at all.
var (
	claimPostgres = `
WITH next AS (
	SELECT id FROM jobs
	WHERE state = 'available' AND run_at <= $1
	ORDER BY run_at, id
	LIMIT 1
	FOR UPDATE SKIP LOCKED
)
UPDATE jobs SET state = 'running', attempt = jobs.attempt + 1, attempted_at = $1, locked_by = $2, locked_until = $3
FROM next WHERE jobs.id = next.id
RETURNING ` + jobColumns("jobs")

	claimSQLite = `
UPDATE jobs SET state = 'running', attempt = attempt + 1, attempted_at = $1, locked_by = $2, locked_until = $3
WHERE id IN (
	SELECT id FROM jobs
	WHERE state = 'available' AND run_at <= $1
	ORDER BY run_at, id
	LIMIT 1
)
RETURNING ` + jobColumns("")
)

// claim takes the next due job for this worker, or returns nil when none is
// due. It runs on a context detached from ctx's cancellation: a claim whose
// commit raced a shutdown must not be reported as failed while the row says
// it is ours, or the job would sit out a whole lease.
func (q *Queue) claim(ctx context.Context) (*Job, error) {
	now := q.clk.Now()
	// Look first on the read pool: idle workers then never take the write
	// lock, which on SQLite is shared with every other writer.
	var due int
	if err := q.db.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = 'available' AND run_at <= $1 LIMIT 1) AS due`,
		database.TimeArg(now)).Scan(&due); err != nil {
		return nil, fmt.Errorf("jobs: look for due jobs: %w", err)
	}
	if due == 0 || ctx.Err() != nil {
		return nil, ctx.Err()
	}
	query := claimSQLite
	if q.db.Dialect == database.Postgres {
		query = claimPostgres
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var job *Job
	err := q.db.Tx(wctx, func(tx *sql.Tx) error {
		j, err := scanJob(tx.QueryRowContext(wctx, query,
			database.TimeArg(now), q.opts.WorkerID, database.TimeArg(now.Add(q.opts.Lease))))
		if errors.Is(err, sql.ErrNoRows) {
			// Another worker took it between the look and the claim.
			return nil
		}
		job = j
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: claim: %w", err)
	}
	return job, nil
}

// rescue takes back running jobs whose lease has expired: their worker
// died or lost the database. The interrupted attempt counts, so a job that
// kills its process cannot loop for ever; with attempts left it runs again
// at once (the expired lease was its delay), otherwise it fails.
func (q *Queue) rescue(ctx context.Context) (int64, error) {
	now := database.TimeArg(q.clk.Now())
	var n int
	if err := q.db.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state = 'running' AND locked_until <= $1 LIMIT 1) AS expired`,
		now).Scan(&n); err != nil || n == 0 {
		return 0, err
	}
	res, err := q.db.ExecContext(ctx, `
UPDATE jobs SET
	state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'available' END,
	finished_at = CASE WHEN attempt >= max_attempts THEN $1 ELSE NULL END,
	run_at = $1,
	last_error = 'lease expired: worker ' || COALESCE(locked_by, '?') || ' stopped during attempt ' || CAST(attempt AS TEXT),
	locked_by = NULL,
	locked_until = NULL
WHERE state = 'running' AND locked_until <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("jobs: rescue expired leases: %w", err)
	}
	count, _ := res.RowsAffected()
	if count > 0 {
		q.log.Warn("jobs: took back jobs whose lease expired", "count", count)
	}
	return count, nil
}
