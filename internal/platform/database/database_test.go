package database_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
)

var testSet = database.Migrations{Module: "test", FS: fstest.MapFS{
	"0001_things.sql": {Data: []byte(`
CREATE TABLE things (
	id {{pk}},
	name TEXT NOT NULL UNIQUE,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	payload {{blob}},
	created_at TEXT NOT NULL
);`)},
	"0002_things_note.sql": {Data: []byte(`ALTER TABLE things ADD COLUMN note TEXT NOT NULL DEFAULT '';`)},
}}

func TestMigrateIsIdempotentAndReadiness(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	pending, err := db.Pending(ctx, testSet)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 {
		t.Fatalf("pending = %v, want 2 migrations", pending)
	}
	applied, err := db.Migrate(ctx, testSet)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 2 {
		t.Fatalf("applied = %v", applied)
	}
	again, err := db.Migrate(ctx, testSet)
	if err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v, err %v", again, err)
	}
	pending, _ = db.Pending(ctx, testSet)
	if len(pending) != 0 {
		t.Fatalf("still pending: %v", pending)
	}
}

func TestConcurrentMigrateFromTwoHandles(t *testing.T) {
	url := dbtest.URL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := database.Open(ctx, url, t.TempDir(), database.Options{})
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = db.Migrate(ctx, testSet)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func TestBadMigrationNamesAreRefused(t *testing.T) {
	bad := database.Migrations{Module: "bad", FS: fstest.MapFS{"init.sql": {Data: []byte("SELECT 1")}}}
	if _, err := bad.Load(); err == nil {
		t.Fatal("a file without a version number was accepted")
	}
}

func TestTimeRoundTripAndOrder(t *testing.T) {
	db := dbtest.New(t, testSet)
	ctx := context.Background()
	wita := time.FixedZone("WITA", 8*3600)
	times := []time.Time{
		time.Date(2026, 12, 4, 9, 30, 0, 123456789, wita),
		time.Date(2026, 12, 4, 1, 30, 0, 0, time.UTC).Add(time.Microsecond),
		time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i, tm := range times {
		if _, err := db.ExecContext(ctx, `INSERT INTO things (name, created_at) VALUES ($1, $2)`, fmt.Sprint("t", i), database.TimeArg(tm)); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT name, created_at, active FROM things ORDER BY created_at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	var last time.Time
	for rows.Next() {
		var name string
		var at time.Time
		var active bool
		if err := rows.Scan(&name, database.T(&at), &active); err != nil {
			t.Fatal(err)
		}
		if !active {
			t.Errorf("%s: BOOLEAN default TRUE read back false", name)
		}
		if at.Location() != time.UTC {
			t.Errorf("%s: read back in %v, want UTC", name, at.Location())
		}
		if at.Before(last) {
			t.Errorf("rows not in time order")
		}
		last = at
		got = append(got, name)
	}
	if fmt.Sprint(got) != "[t2 t1 t0]" {
		t.Fatalf("order = %v", got)
	}
	// Microsecond precision survives; nanoseconds are truncated.
	var s string
	if err := db.QueryRowContext(ctx, `SELECT created_at FROM things WHERE name = 't0'`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if s != "2026-12-04T01:30:00.123456Z" {
		t.Fatalf("stored %q", s)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	db := dbtest.New(t, testSet)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO things (name, created_at) VALUES ('a', $1)`, database.TimeArg(time.Now())); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("rollback left %d rows", n)
	}
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	db := dbtest.New(t, testSet)
	ctx := context.Background()
	ins := func() error {
		_, err := db.ExecContext(ctx, `INSERT INTO things (name, created_at) VALUES ('dup', $1)`, database.TimeArg(time.Now()))
		return err
	}
	if err := ins(); err != nil {
		t.Fatal(err)
	}
	if err := ins(); !database.IsUniqueViolation(err) {
		t.Fatalf("second insert: %v, want unique violation", err)
	}
}

// TestConcurrentWritersNeverSeeLocked is the single-writer discipline's
// proof: 64 goroutines writing at once finish without a single error.
func TestConcurrentWritersNeverSeeLocked(t *testing.T) {
	db := dbtest.New(t, testSet)
	ctx := context.Background()
	const writers, each = 64, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.Tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO things (name, created_at) VALUES ($1, $2)`,
						fmt.Sprintf("w%d-%d", w, i), database.TimeArg(time.Now()))
					return err
				})
				if err != nil {
					errs <- err
				}
				// Readers run alongside the writers.
				var n int
				if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != writers*each {
		t.Fatalf("rows = %d, want %d", n, writers*each)
	}
}

func TestOpenRejectsBadURLs(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"mysql://x", "sqlite://", "::not a url"} {
		if _, err := database.Open(ctx, u, t.TempDir(), database.Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
}

func TestBackupSQLite(t *testing.T) {
	if dbtest.Engine() != database.SQLite {
		t.Skip("backup copies SQLite files; PostgreSQL uses pg_dump")
	}
	db := dbtest.New(t, testSet)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO things (name, created_at) VALUES ('kept', $1)`, database.TimeArg(time.Now())); err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir() + "/copy.db"
	if err := db.BackupSQLite(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if err := db.BackupSQLite(ctx, dest); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	cp, err := database.Open(ctx, "sqlite://"+dest, "", database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var name string
	if err := cp.QueryRowContext(ctx, `SELECT name FROM things`).Scan(&name); err != nil || name != "kept" {
		t.Fatalf("copy has %q, %v", name, err)
	}
}
