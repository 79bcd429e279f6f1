package health_test

import (
	"context"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/health"
)

// startDemo starts a server with a small demo (the volume tests need,
// not serve --demo's).
func startDemo(t *testing.T) *apptest.Server {
	t.Helper()
	restore := health.SetDemoVolume(40, 3000, 120, 300, 12)
	defer restore()
	return apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
}

// TestFullDemo seeds what serve --demo seeds and checks it looks like
// Kupang: a year of visits with ISPA, diarrhoea and dengue rising in the
// rainy season (November–April), and a stunting prevalence near NTT's.
func TestFullDemo(t *testing.T) {
	restore := health.FullDemoVolume()
	start := time.Now()
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	restore()
	t.Logf("server with the full demo started in %s", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	db := s.App.Deps.DB
	var visits int
	var first, last string
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(visit_date), MAX(visit_date) FROM health_visits`).Scan(&visits, &first, &last); err != nil {
		t.Fatal(err)
	}
	if visits < 60000 || first > "2025-12-10" || last != "2026-12-04" {
		t.Errorf("%d visits from %s to %s, want a year's", visits, first, last)
	}
	// Cases per working day, rainy against dry season.
	perDay := func(codes, months string) float64 {
		var cases, days float64
		q := `SELECT COUNT(*), COUNT(DISTINCT visit_date) FROM health_diagnoses WHERE icd10 IN (` + codes + `) AND SUBSTR(month, 6, 2) IN (` + months + `)`
		if err := db.QueryRowContext(ctx, q).Scan(&cases, &days); err != nil {
			t.Fatal(err)
		}
		if days == 0 {
			return 0
		}
		return cases / days
	}
	rainy, dry := `'11','12','01','02','03','04'`, `'05','06','07','08','09','10'`
	for _, c := range []struct {
		name, codes string
		ratio       float64
	}{{"ISPA", `'J06.9','J00'`, 1.2}, {"diare", `'A09.9','A09.0'`, 1.3}, {"DBD", `'A90','A91'`, 2.5}} {
		r, d := perDay(c.codes, rainy), perDay(c.codes, dry)
		if d == 0 || r/d < c.ratio {
			t.Errorf("%s: %.2f cases a day in the rainy season, %.2f in the dry one; want at least %.1f×", c.name, r, d, c.ratio)
		}
	}
	var measured, stunted, accounts int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN stunting IN ('stunted','severely_stunted') THEN 1 ELSE 0 END)
		FROM health_growth_latest WHERE stunting NOT IN ('', 'implausible')`).Scan(&measured, &stunted); err != nil {
		t.Fatal(err)
	}
	if p := float64(stunted) / float64(measured) * 100; measured < 3000 || p < 28 || p > 40 {
		t.Errorf("stunting prevalence %.1f %% of %d children, want NTT's 30–40 %%", p, measured)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username LIKE 'pkm.%' OR username IN ('dinkes.supervisor', 'brigade.sehat')`).Scan(&accounts); err != nil {
		t.Fatal(err)
	}
	if accounts != 13 {
		t.Errorf("%d health demo accounts, want 11 puskesmas + Dinas Kesehatan + the brigade", accounts)
	}
}
