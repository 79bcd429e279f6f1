package database_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// TestCheckpointsRunBesideTheWriter commits fewer pages than the
// writer's own checkpoint threshold and expects them copied into the
// database file anyway: only the background checkpointer does that.
func TestCheckpointsRunBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpt.db")
	db, err := database.Open(ctx, "sqlite://"+path, "", database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, path)
	for i := range 500 {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, fmt.Sprintf("%0200d", i)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+100_000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d): the log was not checkpointed", fileSize(t, path), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestSQLiteCommitsAreSynced: every commit syncs the log (FULL), so an
// acknowledged write survives a power cut.
func TestSQLiteCommitsAreSynced(t *testing.T) {
	db, err := database.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "sync.db"), "", database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode int
	if err := db.Raw().QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Fatalf("synchronous = %d, want 2 (FULL)", mode)
	}
}
