// Package database owns Sodamolek's connection to its one relational store:
// SQLite (embedded default, modernc.org/sqlite) or PostgreSQL (scale-out,
// pgx). Both engines run the same migrations and the same queries; the few
// places where they differ are kept in this package and marked as such.
//
// Conventions every module follows:
//   - placeholders are numbered ($1, $2 …); modernc.org/sqlite numbers them
//     the way PostgreSQL does, so one query string serves both engines;
//   - instants are stored as TEXT in one fixed UTC format (see time.go), so
//     they sort as strings and read back identically on both engines;
//   - writes go through Tx/Exec (the writer), reads through Query/QueryRow.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Querier is what storage code needs to run SQL; *sql.DB, *sql.Tx and *DB
// (reads) all satisfy it, so one storage function serves inside and outside
// a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is the application's handle on the database.
//
// On SQLite it holds two pools on the same file: a writer limited to one
// connection whose transactions start IMMEDIATE, and a reader pool. Writers
// therefore queue inside the process (database/sql waits for the single
// connection) instead of racing for the file lock, which is what makes
// "database is locked" impossible under concurrent load within one process.
// On PostgreSQL both fields point at the same pool.
type DB struct {
	Dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	// checkpoints runs SQLite's WAL checkpoints beside the writer (nil on
	// PostgreSQL).
	checkpoints *checkpointer
	// location is a human-readable description without secrets, for logs.
	location string
	// sqlitePath is the database file on SQLite (for backups).
	sqlitePath string
}

// Options tunes a connection; the zero value is a sensible default.
type Options struct {
	// MaxOpenConns caps the PostgreSQL pool and the SQLite reader pool.
	MaxOpenConns int
}

// Open connects to the database named by rawURL: "sqlite:///abs/path.db",
// "sqlite://relative.db", "postgres://…" or "postgresql://…". An empty URL
// means SQLite in dataDir/sodamolek.db.
func Open(ctx context.Context, rawURL, dataDir string, opts Options) (*DB, error) {
	if opts.MaxOpenConns <= 0 {
		opts.MaxOpenConns = 16
	}
	if rawURL == "" {
		if dataDir == "" {
			return nil, errors.New("database: no URL and no data directory")
		}
		return openSQLite(ctx, filepath.Join(dataDir, "sodamolek.db"), opts)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("database URL is not a valid URL: %v", redactErr(err))
	}
	switch u.Scheme {
	case "sqlite", "sqlite3", "file":
		path := u.Path
		if u.Host != "" { // sqlite://relative/path.db
			path = u.Host + u.Path
		}
		if path == "" {
			return nil, errors.New("database URL sqlite:// needs a file path, e.g. sqlite:///var/lib/sodamolek/sodamolek.db")
		}
		return openSQLite(ctx, path, opts)
	case "postgres", "postgresql":
		return openPostgres(ctx, rawURL, opts)
	default:
		return nil, fmt.Errorf("database URL scheme %q is not supported (use sqlite:///path or postgres://…)", u.Scheme)
	}
}

// redactErr keeps passwords out of URL parse errors, which quote the input.
func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	if db.checkpoints != nil {
		err = db.checkpoints.close()
	}
	err = errors.Join(err, db.writer.Close())
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// String describes the database for logs without credentials.
func (db *DB) String() string { return db.location }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.reader.PingContext(ctx) }

// ExecContext runs a single write statement on the writer.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.writer.ExecContext(ctx, query, args...)
}

// QueryContext runs a read on the reader pool.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.reader.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a single-row read on the reader pool.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.reader.QueryRowContext(ctx, query, args...)
}

// Tx runs fn inside a write transaction, committing when fn returns nil and
// rolling back otherwise. On SQLite a transaction that still meets a busy
// database (another process, such as a backup, holds the lock longer than
// the busy timeout) is retried a few times with backoff.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.tx(ctx, fn)
		if err == nil || db.Dialect != SQLite || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		}
	}
	return err
}

func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Stats reports the pools' statistics for metrics.
func (db *DB) Stats() (writer, reader sql.DBStats) {
	return db.writer.Stats(), db.reader.Stats()
}

// Raw gives access to the writer pool for the few callers that need a
// *sql.DB (benchmarks comparing against the raw driver, backups).
func (db *DB) Raw() *sql.DB { return db.writer }

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either engine, so callers can turn it into "already exists".
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	// SQLite: "constraint failed: UNIQUE constraint failed: …" (code 2067);
	// PostgreSQL: SQLSTATE 23505.
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "SQLSTATE 23503")
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}
