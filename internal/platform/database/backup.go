package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// BackupSQLite writes a consistent copy of a live SQLite database to dest
// with VACUUM INTO, which reads one snapshot while the server keeps
// serving and produces a compact file that opens on its own.
func (db *DB) BackupSQLite(ctx context.Context, dest string) error {
	if db.Dialect != SQLite {
		return errors.New("backup: not an SQLite database")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", abs)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return err
	}
	// VACUUM INTO takes a string literal, not a parameter; quote it.
	_, err = db.reader.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(abs, "'", "''")+"'")
	if err != nil && strings.Contains(err.Error(), "readonly") {
		// query_only forbids VACUUM INTO on the reader pool on some
		// versions; the writer connection can do it (it only reads the
		// source database).
		_, err = db.writer.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(abs, "'", "''")+"'")
	}
	return err
}

// PgDumpCommand is the command an operator runs to back up a PostgreSQL
// database: the application does not ship pg_dump, and a dump belongs to
// the database's own tooling.
func PgDumpCommand(rawURL, dest string) string {
	if dest == "" {
		dest = "sodamolek.dump"
	}
	return fmt.Sprintf("pg_dump --format=custom --no-owner --file=%s '%s'", dest, rawURL)
}
