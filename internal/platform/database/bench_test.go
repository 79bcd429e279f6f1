package database_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// The SQLite write path: the raw driver committing single-row inserts
// one after another (the ceiling), against the application's handle with
// 64 goroutines writing at once through Tx. The figure that matters is
// the ratio of the two rates; no write may fail with "database is locked".
//
//	go test -run X -bench SQLiteWrite -benchtime 5000x ./internal/platform/database/

const benchSchema = `CREATE TABLE IF NOT EXISTS bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)`

func BenchmarkSQLiteWriteRawDriver(b *testing.B) {
	dir := b.TempDir()
	// The same DSN and pragmas the application uses (same durability).
	db, err := database.Open(context.Background(), "sqlite://"+filepath.Join(dir, "raw.db"), "", database.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	raw := db.Raw()
	if _, err := raw.Exec(benchSchema); err != nil {
		b.Fatal(err)
	}
	now := database.TimeArg(time.Now())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := raw.Exec(`INSERT INTO bench (name, created_at) VALUES ($1, $2)`, fmt.Sprint("row", i), now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkSQLiteWrite64Writers(b *testing.B) {
	dir := b.TempDir()
	db, err := database.Open(context.Background(), "sqlite://"+filepath.Join(dir, "app.db"), "", database.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), benchSchema); err != nil {
		b.Fatal(err)
	}
	now := database.TimeArg(time.Now())
	const writers = 64
	var next, failures atomic.Int64
	ctx := context.Background()
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				err := db.Tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO bench (name, created_at) VALUES ($1, $2)`, fmt.Sprint("row", i), now)
					return err
				})
				if err != nil {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if failures.Load() > 0 {
		b.Fatalf("%d writes failed", failures.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
