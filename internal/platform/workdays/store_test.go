package workdays_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

func newStore(t *testing.T) (*workdays.Store, *clock.Manual) {
	t.Helper()
	db := dbtest.New(t, workdays.Migrations)
	loc, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC))
	s := workdays.NewStore(db, clk, loc)
	if n, err := s.Seed(context.Background()); err != nil || n != len(workdays.Builtin) {
		t.Fatalf("seed: %d, %v", n, err)
	}
	return s, clk
}

func TestStoreSeedEditDeleteImport(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	db := workdays.DBOf(t, s)
	christmas := time.Date(2026, 12, 25, 10, 0, 0, 0, s.Location())
	cal, err := s.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.IsWorkingDay(christmas) {
		t.Fatal("Christmas is a working day after seeding")
	}
	// Seeding again adds nothing.
	if n, err := s.Seed(ctx); err != nil || n != 0 {
		t.Fatalf("second seed added %d (%v)", n, err)
	}

	// An administrator declares a local holiday and removes Christmas
	// (say the decree moved it): the calendar follows at once.
	local := workdays.Holiday{Date: "2026-12-10", Name: "HUT Kota Kupang", Kind: workdays.LocalHoliday}
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.Save(ctx, tx, local); err != nil {
			return err
		}
		return s.Delete(ctx, tx, "2026-12-25")
	}); err != nil {
		t.Fatal(err)
	}
	cal, _ = s.Calendar(ctx)
	if cal.IsWorkingDay(time.Date(2026, 12, 10, 9, 0, 0, 0, s.Location())) || !cal.IsWorkingDay(christmas) {
		t.Fatal("calendar did not follow the edit")
	}
	// A deleted seeded day stays deleted across seeding.
	if n, _ := s.Seed(ctx); n != 0 {
		t.Fatalf("seeding restored %d days", n)
	}
	cal, _ = s.Calendar(ctx)
	if !cal.IsWorkingDay(christmas) {
		t.Fatal("seeding brought back a deleted day")
	}

	list, err := s.List(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 25 { // 25 seeded − Christmas + the local holiday
		t.Fatalf("2026 has %d days off", len(list))
	}

	// Import: every line is checked before anything is stored.
	good := "date,name,kind,provisional\n2027-03-10,Idul Fitri 1448 H,libur_nasional,false\n2027-03-15,Cuti bersama Idul Fitri,cuti_bersama,\n"
	hs, err := workdays.ParseCSV(strings.NewReader(good))
	if err != nil || len(hs) != 2 || hs[0].Provisional {
		t.Fatalf("parse: %v %+v", err, hs)
	}
	bad := "date,name,kind\n2027-03-10,Idul Fitri,libur_nasional\n2027-02-30,Nope,libur_nasional\n"
	_, err = workdays.ParseCSV(strings.NewReader(bad))
	var ie *workdays.ImportError
	if !errors.As(err, &ie) || ie.Line != 3 {
		t.Fatalf("bad import: %v", err)
	}
	if _, err := workdays.ParseCSV(strings.NewReader("day,title\n")); err == nil {
		t.Fatal("wrong header accepted")
	}
}

func TestStoreUnitHours(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	h, err := s.UnitHours(ctx, "damkar")
	if err != nil || h != workdays.DefaultHours {
		t.Fatalf("default: %v %v", h, err)
	}
	shift, _ := workdays.ParseHours("mon-fri 07:00-19:00")
	if err := s.SetUnitHours(ctx, workdays.DBOf(t, s), "damkar", shift); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.UnitHours(ctx, "damkar"); h != shift {
		t.Fatalf("stored hours %v", h)
	}
}
