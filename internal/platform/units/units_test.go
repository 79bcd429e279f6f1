package units_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

func seeded(t *testing.T) (*units.Store, *regions.Profile) {
	t.Helper()
	db := dbtest.New(t, units.Migrations)
	st := units.NewStore(db, clock.NewManual(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)))
	p, err := regions.LoadEmbedded("kupang")
	if err != nil {
		t.Fatal(err)
	}
	csv, err := p.File("units.csv")
	if err != nil {
		t.Fatal(err)
	}
	n, err := units.Seed(context.Background(), st, p, bytes.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("nothing seeded")
	}
	return st, p
}

func TestSeedKupang(t *testing.T) {
	st, p := seeded(t)
	ctx := context.Background()
	tree, err := st.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := map[units.Type]int{}
	for _, u := range tree.All() {
		count[u.Type]++
	}
	if count[units.TypeKecamatan] != 6 || count[units.TypeKelurahan] != 51 || count[units.TypePuskesmas] != 11 {
		t.Fatalf("counts = %v", count)
	}
	// Every kelurahan is in exactly one puskesmas work area.
	for _, kel := range p.Kelurahan() {
		var pkm []string
		for _, u := range tree.ServingKelurahan(kel.Code) {
			if u.Type == units.TypePuskesmas {
				pkm = append(pkm, u.Code)
			}
		}
		if len(pkm) != 1 {
			t.Errorf("kelurahan %s %s served by puskesmas %v", kel.Code, kel.Name, pkm)
		}
	}
	// The Polsek of Alak covers Namosain; the police hierarchy holds.
	var polsek string
	for _, u := range tree.ServingKelurahan("53.71.01.1001") {
		if u.ParentCode == "polresta" {
			polsek = u.Code
		}
	}
	if polsek != "polsek-alak" {
		t.Errorf("Namosain's polsek = %q", polsek)
	}
	if !tree.IsWithin("kel-53.71.01.1001", "kec-53.71.01") || !tree.IsWithin("kel-53.71.01.1001", "pemkot") {
		t.Error("kelurahan office not inside its kecamatan and the city")
	}
	if tree.IsWithin("pkm-alak", "dlhk") {
		t.Error("a puskesmas is not inside DLHK")
	}
	u, err := st.Get(ctx, "pkm-penfui")
	if err != nil || u.Lat == nil || u.ParentCode != "dinkes" {
		t.Fatalf("pkm-penfui = %+v, %v", u, err)
	}
	// Seeding again changes nothing.
	csv, _ := p.File("units.csv")
	if n, err := units.Seed(ctx, st, p, bytes.NewReader(csv)); err != nil || n != 0 {
		t.Fatalf("second seed created %d, %v", n, err)
	}
}

func TestSaveValidates(t *testing.T) {
	st, _ := seeded(t)
	ctx := context.Background()
	lat := 1.0
	cases := []struct {
		u     units.Unit
		field string
	}{
		{units.Unit{Code: "Bad Code", Name: "x", Type: units.TypeDinas}, "code"},
		{units.Unit{Code: "x", Name: "", Type: units.TypeDinas}, "name"},
		{units.Unit{Code: "x", Name: "X", Type: ""}, "type"},
		{units.Unit{Code: "x", Name: "X", Type: units.TypeDinas, ParentCode: "nope"}, "parent_code"},
		{units.Unit{Code: "x", Name: "X", Type: units.TypeDinas, Lat: &lat}, "lat"},
		// Making the city a child of one of its own kelurahan is a cycle.
		{units.Unit{Code: "pemkot", Name: "Pemkot", Type: units.TypeCity, ParentCode: "kel-53.71.01.1001"}, "parent_code"},
	}
	for _, c := range cases {
		err := st.Save(ctx, c.u)
		var ve *units.ValidationError
		if !errors.As(err, &ve) || ve.Field != c.field {
			t.Errorf("%+v: err = %v, want a validation error on %s", c.u, err, c.field)
		}
	}
	// A valid edit is visible at once and keeps the service area.
	u, _ := st.Get(ctx, "dlhk")
	u.ShortName = "DLH"
	if err := st.Save(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Get(ctx, "dlhk")
	if got.ShortName != "DLH" || len(got.ServiceArea) != 51 {
		t.Fatalf("after edit: %+v", got)
	}
	if _, err := st.Get(ctx, "nope"); !errors.Is(err, units.ErrNotFound) {
		t.Fatalf("unknown unit: %v", err)
	}
}

func TestWriteCreateOnlyAndHookShareTheTransaction(t *testing.T) {
	st, _ := seeded(t)
	ctx := context.Background()
	u := units.Unit{Code: "tim-sampah-alak", Name: "Tim Kebersihan Alak", Type: units.TypeTeam, ParentCode: "dlhk", Active: true}
	var sawBefore *units.Unit
	if err := st.Write(ctx, u, units.WriteOptions{CreateOnly: true, InTx: func(_ *sql.Tx, before *units.Unit) error {
		sawBefore = before
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	if sawBefore != nil {
		t.Fatal("a new unit has no before")
	}
	err := st.Write(ctx, u, units.WriteOptions{CreateOnly: true})
	var ve *units.ValidationError
	if !errors.As(err, &ve) || ve.Code != "unit_code_taken" {
		t.Fatalf("second create: %v", err)
	}
	// A failing hook (an audit write that fails) rolls the change back.
	u.Name = "Nama baru"
	boom := errors.New("audit failed")
	err = st.Write(ctx, u, units.WriteOptions{InTx: func(_ *sql.Tx, before *units.Unit) error {
		if before == nil || before.Name != "Tim Kebersihan Alak" {
			t.Errorf("before = %+v", before)
		}
		return boom
	}})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	got, _ := st.Get(ctx, "tim-sampah-alak")
	if got.Name != "Tim Kebersihan Alak" {
		t.Fatalf("change survived a failed hook: %q", got.Name)
	}
}
