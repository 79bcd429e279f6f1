package audit_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
)

func newLog(t *testing.T) (*audit.Log, *database.DB, *clock.Manual) {
	t.Helper()
	db := dbtest.New(t, audit.Migrations(dbtest.Engine())...)
	clk := clock.NewManual(time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC))
	return audit.New(db, clk), db, clk
}

func TestRecordJoinsTheCallersTransaction(t *testing.T) {
	log, db, _ := newLog(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := log.Record(ctx, tx, audit.Entry{Actor: audit.System("test"), Action: "thing.created", ObjectType: "thing", ObjectID: "1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		return log.Record(ctx, tx, audit.Entry{Actor: audit.Actor{Kind: audit.ActorUser, ID: 7, Name: "budi", IP: "10.0.0.1"},
			Action: "thing.changed", ObjectType: "thing", ObjectID: "1",
			Before: map[string]string{"name": "a"}, After: map[string]string{"name": "b"}, Note: "why"})
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := log.Search(ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 1 {
		t.Fatalf("records = %+v, want only the committed one", page.Records)
	}
	r := page.Records[0]
	var after map[string]string
	if err := json.Unmarshal(r.After, &after); err != nil || after["name"] != "b" {
		t.Fatalf("after = %s, %v", r.After, err)
	}
	if r.Actor != (audit.Actor{Kind: audit.ActorUser, ID: 7, Name: "budi", IP: "10.0.0.1"}) || r.Action != "thing.changed" || r.Note != "why" {
		t.Fatalf("record = %+v", r)
	}
}

func TestRecordRefusesIncompleteEntries(t *testing.T) {
	log, db, _ := newLog(t)
	ctx := context.Background()
	for _, e := range []audit.Entry{
		{Action: "x.y"},
		{Actor: audit.System("t")},
		{Actor: audit.Actor{Kind: "robot"}, Action: "x.y"},
		{Actor: audit.System("t"), Action: "x.y", After: func() {}},
	} {
		if err := log.Record(ctx, db, e); err == nil {
			t.Errorf("Record(%+v) accepted", e)
		}
	}
}

func TestSearchFiltersAndPages(t *testing.T) {
	log, db, clk := newLog(t)
	ctx := context.Background()
	start := clk.Now()
	for i := range 7 {
		actor := audit.Actor{Kind: audit.ActorUser, ID: int64(i%2 + 1), Name: fmt.Sprint("u", i%2+1)}
		action := "user.changed"
		if i%3 == 0 {
			action = "apikey.created"
		}
		if err := log.Record(ctx, db, audit.Entry{Actor: actor, Action: action, ObjectType: "user", ObjectID: fmt.Sprint(i % 2)}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
	}
	if err := log.RecordRead(ctx, audit.Actor{Kind: audit.ActorUser, ID: 1, Name: "u1"}, "user", "5", "nik"); err != nil {
		t.Fatal(err)
	}
	count := func(f audit.Filter) int {
		t.Helper()
		n := 0
		for {
			p, err := log.Search(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(p.Records); i++ {
				if p.Records[i].ID >= p.Records[i-1].ID {
					t.Fatal("not newest first")
				}
			}
			n += len(p.Records)
			if p.Next == 0 {
				return n
			}
			f.BeforeID = p.Next
		}
	}
	cases := []struct {
		name string
		f    audit.Filter
		want int
	}{
		{"all in pages of 2", audit.Filter{Limit: 2}, 8},
		{"by actor", audit.Filter{ActorKind: audit.ActorUser, ActorID: 1, Limit: 3}, 5},
		{"by action", audit.Filter{Action: "apikey.created"}, 3},
		{"by object", audit.Filter{ObjectType: "user", ObjectID: "1"}, 3},
		{"reads", audit.Filter{Action: "user.read"}, 1},
		{"date range", audit.Filter{From: start.Add(2 * time.Hour), To: start.Add(4 * time.Hour)}, 2},
	}
	for _, c := range cases {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d records, want %d", c.name, got, c.want)
		}
	}
}

// TestAppendOnlyIsEnforcedByTheDatabase runs raw SQL, as a careless module
// or an operator with the application's credentials could.
func TestAppendOnlyIsEnforcedByTheDatabase(t *testing.T) {
	log, db, _ := newLog(t)
	ctx := context.Background()
	if err := log.Record(ctx, db, audit.Entry{Actor: audit.System("t"), Action: "x.done"}); err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		`UPDATE audit_log SET action = 'x.forged'`,
		`DELETE FROM audit_log`,
	}
	for _, s := range stmts {
		_, err := db.ExecContext(ctx, s)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", s, err)
		}
	}
	p, err := log.Search(ctx, audit.Filter{})
	if err != nil || len(p.Records) != 1 || p.Records[0].Action != "x.done" {
		t.Fatalf("records after tampering: %+v, %v", p.Records, err)
	}
}
