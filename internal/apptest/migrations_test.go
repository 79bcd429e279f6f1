package apptest_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// destructive matches statements that lose data; migrations only add.
// A TRUNCATE statement is destructive; the audit log's BEFORE TRUNCATE
// trigger, which forbids it, is not.
var destructive = regexp.MustCompile(`(?is)\b(DROP\s+(TABLE|COLUMN|SCHEMA|DATABASE)|DELETE\s+FROM|ALTER\s+TABLE\s+\S+\s+DROP|RENAME\s+COLUMN)\b|(^|;)\s*TRUNCATE\b`)

func TestMigrationsAreNeverDestructive(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	n := 0
	for _, set := range s.App.MigrationSets() {
		ms, err := set.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			n++
			if loc := destructive.FindString(m.SQL); loc != "" {
				t.Errorf("migration %s contains %q: migrations must never destroy data", m.ID(), loc)
			}
		}
	}
	if n == 0 {
		t.Fatal("no migrations found")
	}
}

// TestAuditLogIsAppendOnlyInTheDatabase: nobody, not even code with the
// application's database account, can change or remove audit rows.
func TestAuditLogIsAppendOnlyInTheDatabase(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	db := s.App.Deps.DB
	ctx := context.Background()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("audit rows = %d, %v (demo seeding writes some)", n, err)
	}
	stmts := []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`}
	if db.Dialect == database.Postgres {
		stmts = append(stmts, `TRUNCATE audit_log`)
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	var after int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&after)
	if after != n {
		t.Fatalf("audit rows %d → %d", n, after)
	}
}
