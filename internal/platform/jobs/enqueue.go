package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// EnqueueOption tunes one enqueued job.
type EnqueueOption func(*enqueueConfig)

type enqueueConfig struct {
	runAt       time.Time
	delay       time.Duration
	uniqueKey   string
	maxAttempts int
}

// RunAt delays the job until t.
func RunAt(t time.Time) EnqueueOption { return func(c *enqueueConfig) { c.runAt = t } }

// Delay delays the job by d from the queue's clock (or from RunAt when
// both are given), so callers need not read the clock themselves.
func Delay(d time.Duration) EnqueueOption { return func(c *enqueueConfig) { c.delay = d } }

// UniqueKey deduplicates: while a job with the same key is available or
// running, enqueuing another is a no-op that returns the existing job's id.
// Once that job has finished, the key is free again.
func UniqueKey(key string) EnqueueOption { return func(c *enqueueConfig) { c.uniqueKey = key } }

// MaxAttempts overrides the kind's attempt limit for this job.
func MaxAttempts(n int) EnqueueOption { return func(c *enqueueConfig) { c.maxAttempts = n } }

// Enqueue stores a job in its own transaction and returns its id. The
// payload is marshalled with encoding/json.
func (q *Queue) Enqueue(ctx context.Context, kind string, payload any, opts ...EnqueueOption) (int64, error) {
	var id int64
	err := q.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, _, err = q.insert(ctx, tx, kind, payload, opts)
		return err
	})
	if err != nil {
		return 0, err
	}
	q.nudge()
	return id, nil
}

// EnqueueTx stores a job inside the caller's transaction: the job exists if
// and only if that transaction commits. On PostgreSQL a duplicate UniqueKey
// does not abort the caller's transaction (the insert uses ON CONFLICT).
func (q *Queue) EnqueueTx(ctx context.Context, tx *sql.Tx, kind string, payload any, opts ...EnqueueOption) (int64, error) {
	id, _, err := q.insert(ctx, tx, kind, payload, opts)
	return id, err
}

// insert adds a job and reports whether it was new (false when UniqueKey
// matched a waiting or running job, whose id it returns).
func (q *Queue) insert(ctx context.Context, tx *sql.Tx, kind string, payload any, opts []EnqueueOption) (int64, bool, error) {
	if kind == "" {
		return 0, false, errors.New("jobs: enqueue needs a kind")
	}
	var c enqueueConfig
	for _, o := range opts {
		o(&c)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return 0, false, fmt.Errorf("jobs: %s payload is not JSON-encodable: %w", kind, err)
	}
	now := q.clk.Now()
	runAt := now
	if !c.runAt.IsZero() {
		runAt = c.runAt
	}
	if c.delay > 0 {
		runAt = runAt.Add(c.delay)
	}
	maxAttempts := c.maxAttempts
	if maxAttempts <= 0 {
		maxAttempts = q.opts.MaxAttempts
		if k, ok := q.kind(kind); ok {
			maxAttempts = k.maxAttempts
		}
	}
	var key any // NULL unless a key was given: NULLs never collide
	if c.uniqueKey != "" {
		key = c.uniqueKey
	}

	// A key may be taken by a job that finishes between the failed insert
	// and the lookup; then the insert is simply tried again.
	for range 3 {
		var id int64
		err := tx.QueryRowContext(ctx, `
INSERT INTO jobs (kind, payload, state, attempt, max_attempts, run_at, created_at, last_error, unique_key)
VALUES ($1, $2, 'available', 0, $3, $4, $5, '', $6)
ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'running') DO NOTHING
RETURNING id`,
			kind, string(body), maxAttempts, database.TimeArg(runAt), database.TimeArg(now), key).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
		}
		err = tx.QueryRowContext(ctx,
			`SELECT id FROM jobs WHERE unique_key = $1 AND state IN ('available', 'running')`, c.uniqueKey).Scan(&id)
		if err == nil {
			return id, false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
		}
	}
	return 0, false, fmt.Errorf("jobs: enqueue %s: unique key kept changing state", kind)
}
