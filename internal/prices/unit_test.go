package prices

import (
	"math"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/i18n/i18ntest"
)

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{"15000": 15000, " 15000.50 ": 15000.5, "15000,5": 15000.5, "0": 0, "-3": -3, "15.500": 15.5} {
		if got, ok := parseNumber(in); !ok || got != want {
			t.Errorf("parseNumber(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "15.000,50", "15,000.50", "1,2,3", "NaN", "Inf", "1e400"} {
		if got, ok := parseNumber(in); ok {
			t.Errorf("parseNumber(%q) = %v, want refused", in, got)
		}
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		loc      i18n.Locale
		v        float64
		places   int
		want     string
		rupiah   string
		pct      string
		signed3  string
		shortest string
	}{
		{i18n.Indonesian, 1234567.891, 2, "1.234.567,89", "Rp 1.234.568", "+1234567,9%", "+1.234.567,891", "1.234.567,891"},
		{i18n.English, 1234567.891, 2, "1,234,567.89", "Rp 1,234,568", "+1234567.9%", "+1,234,567.891", "1,234,567.891"},
		{i18n.Indonesian, -0.04, 1, "0,0", "Rp 0", "0,0%", "-0,040", "-0,04"},
		{i18n.Indonesian, 25, 0, "25", "Rp 25", "+25,0%", "+25,000", "25"},
	} {
		if got := fmtNumber(c.loc, c.v, c.places); got != c.want {
			t.Errorf("fmtNumber(%s, %v, %d) = %q, want %q", c.loc, c.v, c.places, got, c.want)
		}
		if got := fmtRupiah(c.loc, c.v); got != c.rupiah {
			t.Errorf("fmtRupiah(%v) = %q, want %q", c.v, got, c.rupiah)
		}
		if got := fmtSigned(c.loc, c.v, 3); got != c.signed3 {
			t.Errorf("fmtSigned(%v) = %q, want %q", c.v, got, c.signed3)
		}
		if got := fmtNumber(c.loc, c.v, -1); got != c.shortest {
			t.Errorf("fmtNumber(%v, -1) = %q, want %q", c.v, got, c.shortest)
		}
	}
	if got := fmtPct(i18n.Indonesian, -2.345); got != "-2,3%" {
		t.Errorf("fmtPct = %q", got)
	}
	if got := fmtDay("2026-12-04"); got != "04/12/2026" {
		t.Errorf("fmtDay = %q", got)
	}
}

func TestReferenceOn(t *testing.T) {
	refs := []Reference{
		{ID: 1, Price: 14400, ValidFrom: "2023-01-01", ValidTo: "2024-12-31"},
		{ID: 2, Price: 15400, ValidFrom: "2024-03-10", ValidTo: "2024-03-23"},
		{ID: 3, Price: 15400, ValidFrom: "2025-01-01"},
		{ID: 4, Price: 9, ValidFrom: "", ValidTo: "2022-12-31"},
	}
	for day, want := range map[string]int64{"2022-06-01": 4, "2023-05-01": 1, "2024-03-15": 2, "2024-03-24": 1, "2026-12-04": 3} {
		got, ok := referenceOn(refs, day)
		if !ok || got.ID != want {
			t.Errorf("referenceOn(%s) = %d %v, want %d", day, got.ID, ok, want)
		}
	}
	if _, ok := referenceOn(refs[:1], "2025-06-01"); ok {
		t.Error("a closed reference applies after its end")
	}
}

func TestCheckDeviation(t *testing.T) {
	p, m := 10000.0, 12000.0
	if d := checkDeviation(12400, &p, nil, 25); d != nil {
		t.Errorf("24 %% flagged: %+v", d)
	}
	if d := checkDeviation(12600, &p, nil, 25); d == nil || d.Pct != 26 {
		t.Errorf("26 %% = %+v", d)
	}
	if d := checkDeviation(7400, &p, nil, 25); d == nil {
		t.Error("a fall of 26 % is not flagged")
	}
	if d := checkDeviation(12600, &p, &m, 25); d == nil || d.Pct != 26 {
		t.Errorf("the worse of previous and median: %+v", d)
	}
	if d := checkDeviation(1e6, nil, nil, 25); d != nil {
		t.Error("flagged with nothing to compare")
	}
	if got := median(map[int64]float64{1: 3, 2: 1, 3: 2, 4: 10}); *got != 2.5 {
		t.Errorf("median = %v", *got)
	}
}

func TestCellMean(t *testing.T) {
	var c cell
	if _, ok := c.mean(); ok {
		t.Error("an empty cell has a mean")
	}
	for range 3 {
		c.add(cellOf(1234.56))
	}
	if g, _ := c.mean(); g != 1234.56 {
		t.Errorf("mean of equal prices = %v", g)
	}
	c = cellOf(800)
	c.add(cellOf(1250))
	if g, _ := c.mean(); math.Abs(g-1000) > 1e-9 {
		t.Errorf("mean of 800 and 1250 = %v", g)
	}
}

func TestUnitFactor(t *testing.T) {
	for _, c := range []struct {
		unit, base string
		want       float64
		ok         bool
	}{{"kg", "kg", 1, true}, {"ton", "kg", 1000, true}, {"Kuintal", "kg", 100, true}, {"liter", "liter", 1, true}, {"ton", "ikat", 0, false}, {"liter", "kg", 0, false}} {
		if got, ok := unitFactor(c.unit, c.base); got != c.want || ok != c.ok {
			t.Errorf("unitFactor(%s, %s) = %v %v", c.unit, c.base, got, ok)
		}
	}
}

// TestCatalogsComplete checks the catalogs (i18ntest.Check), with the keys
// the module composes at run time, and that no text is left unused.
func TestCatalogsComplete(t *testing.T) {
	compose := map[string][]string{
		"category.":      Categories,
		"mode.":          Modes,
		"status.":        statuses,
		"import_kind.":   ImportKinds,
		"range.":         {"3b", "1t", "5t", "10t"},
		"granularity.":   {"day", "month"},
		"period.":        {"hari", "bulan", "30"},
		"action.":        {"created", ActionApprove, ActionCorrect, ActionReject},
		"review_done.":   {ActionApprove, ActionCorrect, ActionReject},
		"manage_done.":   {"saved", "trader", "reference", "reference_deleted", "origin"},
		"alert_kind.":    {AlertWeeklyRise, AlertAboveReference},
		"month_":         {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"},
		"outbox_":        {"pending", "offline", "sending", "sent", "saved_local", "failed", "discard", "resend"},
		"import.":        {"line"},
		"err.needs_":     {"reason"},
		"index_missing_": {"base"},
	}
	var composed []string
	for prefix, keys := range compose {
		for _, k := range keys {
			composed = append(composed, "prices."+prefix+k)
		}
	}
	i18ntest.Check(t, moduleFiles, "prices", i18ntest.Options{Composed: composed, Unused: true,
		// Permission codes and job kinds look like keys but are not.
		NotKeys: []string{permEnter, permApprove, permManage, permAlerts, kindRecompute, kindAlerts}})
}
