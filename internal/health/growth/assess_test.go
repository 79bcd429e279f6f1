package growth

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

func mustAssess(t *testing.T, in Input) Result {
	t.Helper()
	r, err := Assess(in)
	if err != nil {
		t.Fatalf("Assess(%+v): %v", in, err)
	}
	return r
}

// anthro's "adds adjusted lenhei to the output data.frame" (test-zscores.R):
// 100 cm at 730 and 800 days, measured standing and lying.
func TestLenHeiStandardisation(t *testing.T) {
	for _, tc := range []struct {
		day  int
		pos  Position
		want float64
	}{
		{730, Standing, 100.7}, // under 731 days: standing + 0.7
		{800, Standing, 100},
		{730, Lying, 100},
		{800, Lying, 99.3}, // from 731 days: lying − 0.7
		{731, Lying, 99.3}, // 731 is already "from 24 months"
		{731, Standing, 100},
		{730, PositionUnknown, 100}, // unknown: WHO assumes the right position
		{800, PositionUnknown, 100},
		{273, Standing, 100},   // 8.97 months: implausible, not adjusted
		{274, Standing, 100.7}, // 9.002 months
	} {
		r := mustAssess(t, Input{Sex: Male, AgeDays: tc.day, LenHeiCm: ptr(100), Position: tc.pos})
		if got := *r.LenHeiAdjustedCm; math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%d days %q: adjusted %v, want %v", tc.day, tc.pos, got, tc.want)
		}
		if implausible := tc.day < 274 && tc.pos == Standing; r.HasFlag(FlagPositionImplausible) != implausible {
			t.Errorf("%d days %q: flags %v", tc.day, tc.pos, r.Flags)
		}
	}
}

// Under 731 days WHZ is weight-for-length, from 731 days weight-for-height,
// each on the standardised length and only inside its table.
func TestWeightForLengthOrHeight(t *testing.T) {
	for _, tc := range []struct {
		name string
		day  int
		cm   float64
		pos  Position
		want Indicator // 0: no WHZ
	}{
		{"730 days, 100 cm lying", 730, 100, Lying, WeightForLength},
		{"731 days, 100 cm standing", 731, 100, Standing, WeightForHeight},
		{"730 days, 110 cm lying (last row)", 730, 110, Lying, WeightForLength},
		{"730 days, 110.1 cm lying", 730, 110.1, Lying, 0},
		{"730 days, 109.5 cm standing (110.2 lying)", 730, 109.5, Standing, 0},
		{"100 days, 45 cm", 100, 45, Lying, WeightForLength},
		{"100 days, 44.9 cm", 100, 44.9, Lying, 0},
		{"731 days, 65 cm standing", 731, 65, Standing, WeightForHeight},
		{"731 days, 64.9 cm standing", 731, 64.9, Standing, 0},
		{"731 days, 65.5 cm lying (64.8 standing)", 731, 65.5, Lying, 0},
		{"1826 days, 120 cm", 1826, 120, Standing, WeightForHeight},
		{"1826 days, 120.1 cm", 1826, 120.1, Standing, 0},
	} {
		r := mustAssess(t, Input{Sex: Female, AgeDays: tc.day, WeightKg: ptr(12), LenHeiCm: &tc.cm, Position: tc.pos})
		if r.WHZIndicator != tc.want || (r.WHZ != nil) != (tc.want != 0) {
			t.Errorf("%s: WHZ %v from %v, want from %v", tc.name, r.WHZ, r.WHZIndicator, tc.want)
		}
		if r.HAZ == nil || r.WAZ == nil || r.BAZ == nil {
			t.Errorf("%s: HAZ, WAZ and BAZ do not depend on the WHZ table: %+v", tc.name, r)
		}
	}

	// The same child on either side of the switch uses the two tables.
	w := 15.0
	at := func(day int) float64 {
		r := mustAssess(t, Input{Sex: Male, AgeDays: day, WeightKg: &w, LenHeiCm: ptr(95), Position: PositionUnknown})
		return *r.WHZ
	}
	wfl, _ := weightForLengthTable.at(Male, 95)
	wfh, _ := weightForHeightTable.at(Male, 95)
	if at(730) != round2(wfl.zRestricted(w)) || at(731) != round2(wfh.zRestricted(w)) {
		t.Errorf("WHZ at 730/731 days = %v/%v, want %v/%v", at(730), at(731), round2(wfl.zRestricted(w)), round2(wfh.zRestricted(w)))
	}
}

func TestOedema(t *testing.T) {
	// anthro's oedema tests (test-zscores.R): 100 days, 60 cm lying, 7 kg.
	in := Input{Sex: Male, AgeDays: 100, WeightKg: ptr(7), LenHeiCm: ptr(60), Position: Lying}
	plain := mustAssess(t, in)
	in.Oedema = true
	r := mustAssess(t, in)
	if r.WAZ != nil || r.WHZ != nil || r.BAZ != nil {
		t.Errorf("oedema: weight-based z-scores computed: %+v", r)
	}
	if r.HAZ == nil || *r.HAZ != *plain.HAZ {
		t.Errorf("oedema: HAZ %v, want %v", r.HAZ, *plain.HAZ)
	}
	if r.BMI == nil || *r.BMI != *plain.BMI || !r.Oedema {
		t.Errorf("oedema: BMI %v, Oedema %v", r.BMI, r.Oedema)
	}
}

func TestOlderThanStandards(t *testing.T) {
	in := Input{Sex: Female, AgeDays: 1826, WeightKg: ptr(18), LenHeiCm: ptr(109), Position: Standing}
	if r := mustAssess(t, in); r.HAZ == nil || r.WAZ == nil || r.WHZ == nil || r.BAZ == nil {
		t.Errorf("1826 days: %+v", r)
	}
	for _, day := range []int{1827, 1856, 2500} {
		in.AgeDays = day
		in.Oedema = true
		r := mustAssess(t, in)
		if r.HAZ != nil || r.WAZ != nil || r.WHZ != nil || r.BAZ != nil || r.Oedema || r.Flags != nil {
			t.Errorf("%d days: %+v", day, r)
		}
		// WHO Anthro still reports the standardised length and the BMI.
		if r.LenHeiAdjustedCm == nil || r.BMI == nil {
			t.Errorf("%d days: no length or BMI", day)
		}
	}
}

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want Flag
	}{
		// anthro test-zscore-weight-for-age.R: 10.37 kg on day 1 is flagged.
		{"WAZ > 5", Input{Sex: Female, AgeDays: 1, WeightKg: ptr(10.37)}, FlagWAZImplausible},
		// anthro test-zscore-bmi-for-age.R: BMI 25 on day 1 is flagged
		// (6.25 kg at 50 cm).
		{"BAZ > 5", Input{Sex: Female, AgeDays: 1, WeightKg: ptr(6.25), LenHeiCm: ptr(50), Position: Lying}, FlagBAZImplausible},
		{"WAZ < -6", Input{Sex: Male, AgeDays: 1500, WeightKg: ptr(5)}, FlagWAZImplausible},
		{"HAZ < -6", Input{Sex: Male, AgeDays: 1500, LenHeiCm: ptr(70), Position: Standing}, FlagHAZImplausible},
		{"WHZ > 5", Input{Sex: Male, AgeDays: 400, WeightKg: ptr(20), LenHeiCm: ptr(75), Position: Lying}, FlagWHZImplausible},
	} {
		r := mustAssess(t, tc.in)
		if !r.HasFlag(tc.want) {
			t.Errorf("%s: flags %v (HAZ %v WAZ %v WHZ %v BAZ %v)", tc.name, r.Flags, r.HAZ, r.WAZ, r.WHZ, r.BAZ)
		}
	}
	// Flags use the rounded z-score, as WHO Anthro's do: find a weight whose
	// WAZ rounds to exactly 5.00 and check it is not flagged.
	row := weightForAgeTable.at(Male, 900)
	y := row.sd(3) + 2*(row.sd(3)-row.sd(2)) + 0.004*(row.sd(3)-row.sd(2)) // z = 5.004
	r := mustAssess(t, Input{Sex: Male, AgeDays: 900, WeightKg: &y})
	if *r.WAZ != 5 || r.Flags != nil {
		t.Errorf("WAZ 5.004: %v, flags %v", *r.WAZ, r.Flags)
	}
}

// WHO's Anthro Survey Analyser test "z-score adjusts weight/lenhei with 2019
// standards": 0.5 kg/65 cm and 40 kg/140 cm are accepted, 40 kg at 140 cm
// has no WHZ (beyond the table).
func TestInputBounds(t *testing.T) {
	r := mustAssess(t, Input{Sex: Male, AgeDays: 100, WeightKg: ptr(MinWeightKg), LenHeiCm: ptr(65)})
	if r.HAZ == nil || r.WAZ == nil || r.WHZ == nil || r.BAZ == nil {
		t.Errorf("0.5 kg, 65 cm: %+v", r)
	}
	r = mustAssess(t, Input{Sex: Male, AgeDays: 100, WeightKg: ptr(MaxWeightKg), LenHeiCm: ptr(MaxLenHeiCm)})
	if r.HAZ == nil || r.WAZ == nil || r.WHZ != nil || r.BAZ == nil {
		t.Errorf("40 kg, 140 cm: %+v", r)
	}
	mustAssess(t, Input{Sex: Female, AgeDays: 0, LenHeiCm: ptr(MinLenHeiCm)})

	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name  string
		in    Input
		field string
		code  Code
	}{
		{"sex 0", Input{AgeDays: 10}, FieldSex, CodeSexInvalid},
		{"sex 3", Input{Sex: 3, AgeDays: 10}, FieldSex, CodeSexInvalid},
		{"negative age", Input{Sex: Male, AgeDays: -1}, FieldAgeDays, CodeAgeInvalid},
		{"0.49 kg", Input{Sex: Male, WeightKg: ptr(0.49)}, FieldWeight, CodeWeightOutOfRange},
		{"0 kg", Input{Sex: Male, WeightKg: ptr(0)}, FieldWeight, CodeWeightOutOfRange},
		{"40.01 kg", Input{Sex: Male, WeightKg: ptr(40.01)}, FieldWeight, CodeWeightOutOfRange},
		{"NaN kg", Input{Sex: Male, WeightKg: &nan}, FieldWeight, CodeWeightOutOfRange},
		{"Inf kg", Input{Sex: Male, WeightKg: &inf}, FieldWeight, CodeWeightOutOfRange},
		{"34.9 cm", Input{Sex: Male, LenHeiCm: ptr(34.9)}, FieldLenHei, CodeLenHeiOutOfRange},
		{"140.1 cm", Input{Sex: Male, LenHeiCm: ptr(140.1)}, FieldLenHei, CodeLenHeiOutOfRange},
		{"NaN cm", Input{Sex: Male, LenHeiCm: &nan}, FieldLenHei, CodeLenHeiOutOfRange},
		{"sitting", Input{Sex: Male, LenHeiCm: ptr(80), Position: "sitting"}, FieldPosition, CodePositionInvalid},
	} {
		_, err := Assess(tc.in)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tc.field || ie.Code != tc.code {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// Measurements are health data: an error message must not repeat them.
	if _, err := Assess(Input{Sex: Male, WeightKg: ptr(41.23)}); err == nil || strings.Contains(err.Error(), "41.23") {
		t.Errorf("error %v", err)
	}
}

func TestNothingMeasured(t *testing.T) {
	r := mustAssess(t, Input{Sex: Male, AgeDays: 300})
	if r.HAZ != nil || r.WAZ != nil || r.WHZ != nil || r.BAZ != nil || r.BMI != nil || r.LenHeiAdjustedCm != nil || r.Flags != nil {
		t.Errorf("%+v", r)
	}
	if r := mustAssess(t, Input{Sex: Male, AgeDays: 300, Oedema: true}); !r.Oedema {
		t.Error("oedema without measurements is lost")
	}
}

// Results are independent: each call has its own values.
func TestResultsDoNotShareMemory(t *testing.T) {
	a := mustAssess(t, Input{Sex: Male, AgeDays: 300, WeightKg: ptr(8), LenHeiCm: ptr(70)})
	b := mustAssess(t, Input{Sex: Male, AgeDays: 300, WeightKg: ptr(12), LenHeiCm: ptr(80)})
	if *a.WAZ == *b.WAZ || *a.HAZ == *b.HAZ {
		t.Errorf("a %v %v, b %v %v", *a.WAZ, *a.HAZ, *b.WAZ, *b.HAZ)
	}
	a.Flags = append(a.Flags, FlagHAZImplausible)
	if slices.Contains(b.Flags, FlagHAZImplausible) {
		t.Error("flags are shared")
	}
}

func TestAssessAllocatesOnce(t *testing.T) {
	in := Input{Sex: Female, AgeDays: 500, WeightKg: ptr(9), LenHeiCm: ptr(76), Position: Lying}
	if n := testing.AllocsPerRun(100, func() { _, _ = Assess(in) }); n > 1 {
		t.Errorf("%v allocations per Assess, want at most 1", n)
	}
}
