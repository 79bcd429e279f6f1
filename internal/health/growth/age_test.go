package growth

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestAgeInDays(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	day := func(y int, m time.Month, d, h int, loc *time.Location) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, loc)
	}
	for _, tc := range []struct {
		name            string
		birth, measured time.Time
		want            int
	}{
		{"same day", day(2024, 5, 1, 0, wita), day(2024, 5, 1, 23, wita), 0},
		{"leap February", day(2024, 1, 31, 0, wita), day(2024, 3, 1, 0, wita), 30},
		{"time of day ignored", day(2023, 6, 10, 23, wita), day(2023, 6, 11, 1, wita), 1},
		{"two years", day(2022, 3, 15, 0, wita), day(2024, 3, 15, 0, wita), 731},
		{"before 1970", day(1969, 12, 31, 0, time.UTC), day(1970, 1, 2, 0, time.UTC), 2},
		// Each time is read in its own zone: 1 May WITA and 1 May UTC are the
		// same calendar day even though the instants differ by 8 hours.
		{"zones", day(2024, 5, 1, 2, wita), day(2024, 5, 1, 0, time.UTC), 0},
	} {
		got, err := AgeInDays(tc.birth, tc.measured)
		if err != nil || got != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}

	_, err := AgeInDays(day(2024, 5, 2, 0, wita), day(2024, 5, 1, 23, wita))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != CodeMeasuredBeforeBirth || ie.Field != FieldMeasuredOn {
		t.Errorf("measured before birth: %v", err)
	}
}

func TestAgeDaysFromMonths(t *testing.T) {
	for _, tc := range []struct {
		months float64
		want   int
	}{
		{0, 0},
		{1, 30},   // 30.4375
		{8, 244},  // 243.5 rounds up (anthro test-zscores.R)
		{9, 274},  // 273.9375
		{24, 731}, // 730.5 rounds up: the first day of standing height (anthro NEWS 0.9.2)
		{30, 913}, // 913.125
		{59.9, 1823},
		{59.99, 1826},
		{60, 1827},     // 1826.25, but 60 months is no longer covered
		{60.005, 1827}, // 1826.40
		{60.1, 1829},
	} {
		got, err := AgeDaysFromMonths(tc.months)
		if err != nil || got != tc.want {
			t.Errorf("AgeDaysFromMonths(%v) = %d, %v; want %d", tc.months, got, err, tc.want)
		}
	}
	for _, bad := range []float64{-0.01, math.NaN(), math.Inf(1), math.Inf(-1), 1e300} {
		_, err := AgeDaysFromMonths(bad)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != CodeAgeInvalid {
			t.Errorf("AgeDaysFromMonths(%v): %v", bad, err)
		}
	}
}

// anthro's "zcores are only computed for children younger to 60 months"
// (test-zscores.R): ages 59.9, 60 and 60.1 months, a standing height of
// 80 cm and 20 kg; only the first gets z-scores.
func TestNoZScoresFromSixtyMonths(t *testing.T) {
	w, h := 20.0, 80.0
	for _, tc := range []struct {
		months float64
		scored bool
	}{{59.9, true}, {60, false}, {60.1, false}} {
		days, err := AgeDaysFromMonths(tc.months)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Assess(Input{Sex: Male, AgeDays: days, WeightKg: &w, LenHeiCm: &h, Position: Standing})
		if err != nil {
			t.Fatal(err)
		}
		all := r.HAZ != nil && r.WAZ != nil && r.WHZ != nil && r.BAZ != nil
		none := r.HAZ == nil && r.WAZ == nil && r.WHZ == nil && r.BAZ == nil
		if (tc.scored && !all) || (!tc.scored && !none) {
			t.Errorf("%v months (%d days): HAZ %v WAZ %v WHZ %v BAZ %v", tc.months, days, r.HAZ, r.WAZ, r.WHZ, r.BAZ)
		}
	}
}
