// Package jobs owns Sodamolek's durable background work: a job table in the
// application database (SQLite or PostgreSQL) and the workers that run it.
//
// Guarantees:
//   - a job is a row, so it survives restarts, and EnqueueTx makes a job
//     exist exactly when the caller's transaction commits;
//   - a job is claimed by one worker at a time across every process sharing
//     the database (FOR UPDATE SKIP LOCKED on PostgreSQL, the single-writer
//     immediate transaction on SQLite), so a job that succeeds runs once;
//   - a claim is a lease (locked_until) that the worker extends while the
//     handler runs; a process that dies leaves the lease to expire and
//     another worker runs the job again, so delivery is at least once and
//     handlers whose side effects matter should be idempotent;
//   - a failed attempt is retried with capped exponential backoff and
//     jitter until MaxAttempts, then the job is "failed" and stays in the
//     table for an administrator (List, Retry);
//   - on shutdown workers stop claiming, running jobs get a bounded time to
//     finish, and whatever is still running is put back to "available".
//
// Payloads are JSON and may hold personal data (a phone number, an OTP
// message), so this package never logs them; it logs kind, id, attempt and
// error only, and prunes finished jobs after a retention period.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Job states.
const (
	// StateAvailable: waiting for run_at, or for a free worker.
	StateAvailable = "available"
	// StateRunning: claimed by a worker whose lease runs until LockedUntil.
	StateRunning = "running"
	// StateSucceeded: the handler returned nil.
	StateSucceeded = "succeeded"
	// StateFailed: every attempt failed, or a handler returned a Permanent
	// error; the job waits for an administrator.
	StateFailed = "failed"
)

// States lists every state, in lifecycle order.
var States = []string{StateAvailable, StateRunning, StateSucceeded, StateFailed}

// Job is one row of the job table.
type Job struct {
	ID          int64
	Kind        string
	Payload     json.RawMessage
	State       string
	Attempt     int // the attempt being run (1 for the first); 0 before any claim
	MaxAttempts int
	RunAt       time.Time
	CreatedAt   time.Time
	AttemptedAt time.Time // start of the latest attempt
	FinishedAt  time.Time // zero unless succeeded or failed
	LastError   string    // the latest failure, kept after a later success for the record
	UniqueKey   string
	LockedBy    string
	LockedUntil time.Time
}

// Decode unmarshals the payload into v.
func (j *Job) Decode(v any) error { return json.Unmarshal(j.Payload, v) }

// HandlerFunc runs one attempt of a job. Returning nil completes the job;
// an error schedules a retry (or fails the job at MaxAttempts, or at once
// when wrapped with Permanent). The context ends at the kind's timeout, at
// a hard shutdown, or when the lease is lost; handlers must honour it.
type HandlerFunc func(ctx context.Context, job *Job) error

// Decoded adapts a handler that takes its payload as a T. A payload that
// does not decode is a Permanent failure: retrying cannot fix it.
func Decoded[T any](fn func(ctx context.Context, job *Job, payload T) error) HandlerFunc {
	return func(ctx context.Context, job *Job) error {
		var v T
		if err := job.Decode(&v); err != nil {
			return Permanent(fmt.Errorf("decode %s payload: %w", job.Kind, err))
		}
		return fn(ctx, job, v)
	}
}

// Options tunes a Queue; the zero value gives the defaults noted.
type Options struct {
	// Workers is how many jobs this process runs at once (default 2).
	Workers int
	// PollInterval is how often an idle worker looks for due jobs, and how
	// often expired leases and schedules are checked (default 1s).
	PollInterval time.Duration
	// Lease is how long a claim holds without renewal (default 1m). Running
	// jobs renew it every Lease/3, so it bounds how long a dead process's
	// jobs wait, not how long a job may run.
	Lease time.Duration
	// WorkerID names this process in locked_by (default host-pid-random).
	WorkerID string
	// ShutdownTimeout is how long running jobs may take to finish once Run's
	// context ends before they are cancelled and requeued (default 10s).
	ShutdownTimeout time.Duration
	// MaxAttempts applies to kinds registered without WithMaxAttempts and to
	// kinds this process has not registered (default 10).
	MaxAttempts int
	// Timeout applies to kinds registered without WithTimeout (default 5m).
	Timeout time.Duration
	// BackoffBase and BackoffMax shape retries: before attempt n+1 the job
	// waits about BackoffBase·2^(n-1), capped at BackoffMax, with jitter
	// (defaults 10s and 1h).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// KeepSucceeded and KeepFailed are how long finished jobs stay in the
	// table (defaults 72h and 30 days). Payloads can hold personal data, so
	// finished work is not kept for ever; failed jobs stay longer because
	// an administrator has to see them.
	KeepSucceeded time.Duration
	KeepFailed    time.Duration
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.WorkerID == "" {
		o.WorkerID = defaultWorkerID()
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 10 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = time.Hour
	}
	if o.BackoffMax < o.BackoffBase {
		o.BackoffMax = o.BackoffBase
	}
	if o.KeepSucceeded <= 0 {
		o.KeepSucceeded = 72 * time.Hour
	}
	if o.KeepFailed <= 0 {
		o.KeepFailed = 30 * 24 * time.Hour
	}
	return o
}

// Queue enqueues, runs and administers jobs. One Queue per process; many
// processes may share a database.
type Queue struct {
	db   *database.DB
	clk  clock.Clock
	log  *slog.Logger
	opts Options

	mu        sync.RWMutex
	kinds     map[string]kindConfig
	schedules map[string]time.Duration

	// wake lets a local Enqueue start an idle worker before its next poll.
	wake chan struct{}
}

type kindConfig struct {
	handler     HandlerFunc
	maxAttempts int
	timeout     time.Duration
}

// New makes a Queue. A nil clock means the system clock; a nil logger,
// slog.Default().
func New(db *database.DB, clk clock.Clock, logger *slog.Logger, opts Options) *Queue {
	if clk == nil {
		clk = clock.Real{}
	}
	if logger == nil {
		logger = slog.Default()
	}
	opts = opts.withDefaults()
	return &Queue{
		db:        db,
		clk:       clk,
		log:       logger.With("component", "jobs", "worker", opts.WorkerID),
		opts:      opts,
		kinds:     map[string]kindConfig{},
		schedules: map[string]time.Duration{},
		wake:      make(chan struct{}, 1),
	}
}

// KindOption tunes a registered kind.
type KindOption func(*kindConfig)

// WithMaxAttempts sets how many attempts jobs of the kind get by default.
func WithMaxAttempts(n int) KindOption {
	return func(k *kindConfig) {
		if n > 0 {
			k.maxAttempts = n
		}
	}
}

// WithTimeout bounds one attempt of the kind.
func WithTimeout(d time.Duration) KindOption {
	return func(k *kindConfig) {
		if d > 0 {
			k.timeout = d
		}
	}
}

// Register sets the handler for a kind. Registering a kind twice, an empty
// kind or a nil handler is a programming error and panics, as with
// http.ServeMux.
func (q *Queue) Register(kind string, h HandlerFunc, opts ...KindOption) {
	if kind == "" || h == nil {
		panic("jobs: Register needs a kind and a handler")
	}
	k := kindConfig{handler: h, maxAttempts: q.opts.MaxAttempts, timeout: q.opts.Timeout}
	for _, o := range opts {
		o(&k)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, dup := q.kinds[kind]; dup {
		panic("jobs: kind " + kind + " registered twice")
	}
	q.kinds[kind] = k
}

func (q *Queue) kind(name string) (kindConfig, bool) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	k, ok := q.kinds[name]
	return k, ok
}

// WorkerID is the name this queue writes into locked_by.
func (q *Queue) WorkerID() string { return q.opts.WorkerID }

func defaultWorkerID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
