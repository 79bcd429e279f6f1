package health

import (
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/growth"
)

func TestAgeGroup(t *testing.T) {
	cases := map[int]string{0: "0-7h", 7: "0-7h", 8: "8-28h", 28: "8-28h", 29: "1-11b", 364: "1-11b", 366: "1-4t", 1826: "1-4t", 1827: "5-9t",
		365*20 + 5: "20-44t", 365*44 + 10: "20-44t", 365*45 + 12: "45-54t", 365*70 + 18: "70+t"}
	for days, want := range cases {
		if got := ageGroup(days); got != want {
			t.Errorf("ageGroup(%d) = %s, want %s", days, got, want)
		}
	}
}

func TestEpiWeekStart(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for d := range 7 {
		if got := epiWeekStart(sunday.AddDate(0, 0, d)); !got.Equal(sunday) {
			t.Errorf("%s starts its epi-week on %s", sunday.AddDate(0, 0, d).Weekday(), got.Format("2006-01-02"))
		}
	}
	if got := epiWeekStart(sunday.AddDate(0, 0, 7)); !got.Equal(sunday.AddDate(0, 0, 7)) {
		t.Error("the next Sunday starts a new week")
	}
}

func TestSKDRCodes(t *testing.T) {
	for icd, want := range map[string]string{"A91": "dengue", "A90": "dengue", "A09.9": "diare_akut", "B05.9": "campak", "A06.0": "disentri",
		"A06.1": "", "J06.9": "", "A01.0": "tifoid", "W54": "rabies_ghpr"} {
		if got := skdrCodeOf(icd); got != want {
			t.Errorf("skdrCodeOf(%s) = %q, want %q", icd, got, want)
		}
	}
}

func TestWeightGain(t *testing.T) {
	kg := func(v float64) *float64 { return &v }
	// A 10-month-old must gain 300 g a month (KBM), from 11 months 200 g.
	series := []measurement{
		{AgeDays: 280, WeightKg: kg(8.0)},
		{AgeDays: 310, WeightKg: kg(8.4)}, // +400 g: naik
		{AgeDays: 340, WeightKg: kg(8.5)}, // +100 g at 11 months: tidak naik
		{AgeDays: 370, WeightKg: kg(8.5)}, // no gain again: 2T
		{AgeDays: 400, WeightKg: nil},     // not weighed
		{AgeDays: 460, WeightKg: kg(9.0)}, // last weighing 90 days ago: O
	}
	gainSeries(series)
	want := []struct {
		gain string
		twoT bool
	}{{gainFirst, false}, {gainUp, false}, {gainNotUp, false}, {gainNotUp, true}, {gainNoWeight, false}, {gainNoPrev, false}}
	for i, w := range want {
		if series[i].Gain != w.gain || series[i].TwoT != w.twoT {
			t.Errorf("weighing %d: %q 2T=%v, want %q 2T=%v", i, series[i].Gain, series[i].TwoT, w.gain, w.twoT)
		}
	}
}

func TestFollowUpRule(t *testing.T) {
	cases := []struct {
		c    growth.Categories
		twoT bool
		want bool
	}{
		{growth.Categories{Stunting: growth.Stunted}, false, true},
		{growth.Categories{Stunting: growth.SeverelyStunted}, false, true},
		{growth.Categories{Wasting: growth.SeverelyWasted}, false, true},
		{growth.Categories{Stunting: growth.NormalHeight, Wasting: growth.WellNourished}, true, true},
		{growth.Categories{Stunting: growth.NormalHeight, Wasting: growth.Overweight}, false, false},
		{growth.Categories{Stunting: growth.Implausible}, false, false},
	}
	for i, c := range cases {
		if got := (measurement{Cats: c.c, TwoT: c.twoT}).needsFollowUp(); got != c.want {
			t.Errorf("case %d: follow-up %v, want %v", i, got, c.want)
		}
	}
}
