package database

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqliteDSN builds the connection string. The order of the pragmas matters:
//   - busy_timeout comes first, so that even switching to WAL waits for a
//     lock held by another process instead of failing at once;
//   - journal_mode(WAL) lets readers run while the single writer writes;
//   - synchronous(NORMAL) is the usual WAL pairing: a commit is durable
//     against a process crash, and only an OS crash or power loss can lose
//     the last transactions (the database itself never corrupts);
//   - foreign_keys(1) is off by default in SQLite and must be set on every
//     connection;
//   - _txlock=immediate makes BEGIN take the write lock at once, so a
//     transaction never fails half-way when it upgrades from read to write.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		// query_only stops a misrouted write on the reader pool at once
		// instead of letting it compete with the writer for the lock.
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("database directory: %w", err)
	}
	writer, err := sql.Open("sqlite", sqliteDSN(abs, false))
	if err != nil {
		return nil, err
	}
	// One writer connection: the single-writer discipline (see DB).
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", abs, err)
	}
	reader, err := sql.Open("sqlite", sqliteDSN(abs, true))
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(opts.MaxOpenConns)
	reader.SetMaxIdleConns(opts.MaxOpenConns)
	if err := reader.PingContext(ctx); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", abs, err)
	}
	return &DB{Dialect: SQLite, writer: writer, reader: reader, location: "sqlite://" + abs, sqlitePath: abs}, nil
}

// SQLitePath is the database file when the engine is SQLite, else "".
func (db *DB) SQLitePath() string { return db.sqlitePath }
