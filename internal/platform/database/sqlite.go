package database

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteDSN builds the connection string. The order of the pragmas matters:
//   - busy_timeout comes first, so that even switching to WAL waits for a
//     lock held by another process instead of failing at once;
//   - journal_mode(WAL) lets readers run while the single writer writes;
//   - synchronous(FULL): a commit is on disk (the log is synced) before it
//     returns, so a report that got its tracking code, or a payment that
//     was recorded, survives a power cut, not only a process crash. The
//     cost is one fsync per transaction, which the writers that matter
//     spread over many rows (the report intake commits concurrent
//     submissions together, imports are one transaction); measured in
//     docs/performance.md;
//   - foreign_keys(1) is off by default in SQLite and must be set on every
//     connection;
//   - _txlock=immediate makes BEGIN take the write lock at once, so a
//     transaction never fails half-way when it upgrades from read to write;
//   - the writer checkpoints only as a backstop (see checkpoint.go).
func sqliteDSN(path string, role connRole) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	switch role {
	case connReader:
		// query_only stops a misrouted write on the reader pool at once
		// instead of letting it compete with the writer for the lock.
		q.Add("_pragma", "query_only(1)")
	case connWriter:
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", writerAutoCheckpoint))
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// connRole says what a connection to the SQLite file is for.
type connRole int

const (
	connWriter connRole = iota
	connReader
	connCheckpoint
)

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("database directory: %w", err)
	}
	// One writer connection: the single-writer discipline (see DB).
	writer, err := openOneConn(sqliteDSN(abs, connWriter))
	if err != nil {
		return nil, err
	}
	if err := pingSQLite(ctx, writer); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", abs, err)
	}
	reader, err := sql.Open("sqlite", sqliteDSN(abs, connReader))
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(opts.MaxOpenConns)
	reader.SetMaxIdleConns(opts.MaxOpenConns)
	if err := pingSQLite(ctx, reader); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", abs, err)
	}
	ckpt, err := startCheckpointer(abs)
	if err != nil {
		writer.Close()
		reader.Close()
		return nil, err
	}
	return &DB{Dialect: SQLite, writer: writer, reader: reader, checkpoints: ckpt, location: "sqlite://" + abs, sqlitePath: abs}, nil
}

// SQLitePath is the database file when the engine is SQLite, else "".
func (db *DB) SQLitePath() string { return db.sqlitePath }

// pingSQLite opens the first connection of a pool, retrying while the
// file is locked. Two processes opening a new database at once race to
// switch it to WAL, and that switch (unlike ordinary statements) can
// fail with SQLITE_BUSY without waiting for busy_timeout; a failed
// connection is discarded, so the next try runs the pragmas again.
func pingSQLite(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := pool.PingContext(ctx)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// openOneConn is a pool of exactly one long-lived connection.
func openOneConn(dsn string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	return db, nil
}
