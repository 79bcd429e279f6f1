package growth

import "testing"

func TestCategorizeCutOffs(t *testing.T) {
	for _, tc := range []struct {
		z                 float64
		stunting, underwt Category
		wasting           Category
	}{
		{-3.50, SeverelyStunted, SeverelyUnderweight, SeverelyWasted},
		{-3.01, SeverelyStunted, SeverelyUnderweight, SeverelyWasted},
		{-3.00, Stunted, Underweight, Wasted}, // Permenkes: "−3 SD sd < −2 SD"
		{-2.01, Stunted, Underweight, Wasted},
		{-2.00, NormalHeight, NormalWeight, WellNourished},
		{0, NormalHeight, NormalWeight, WellNourished},
		{1.00, NormalHeight, NormalWeight, WellNourished},
		{1.01, NormalHeight, RiskOfExcessWeight, RiskOfOverweight},
		{2.00, NormalHeight, RiskOfExcessWeight, RiskOfOverweight},
		{2.01, NormalHeight, RiskOfExcessWeight, Overweight},
		{3.00, NormalHeight, RiskOfExcessWeight, Overweight},
		{3.01, Tall, RiskOfExcessWeight, Obese},
		{4.99, Tall, RiskOfExcessWeight, Obese},
	} {
		z := tc.z
		got := Categorize(Result{HAZ: &z, WAZ: &z, WHZ: &z, BAZ: &z})
		want := Categories{Stunting: tc.stunting, Wasting: tc.wasting, Underweight: tc.underwt, BMI: tc.wasting}
		if got != want {
			t.Errorf("z = %v: %+v, want %+v", z, got, want)
		}
	}
}

func TestCategorizeSpecialCases(t *testing.T) {
	z := -1.0
	high := 5.5
	for _, tc := range []struct {
		name string
		r    Result
		want Categories
	}{
		{"nothing", Result{}, Categories{}},
		{"oedema", Result{HAZ: &z, Oedema: true},
			Categories{Stunting: NormalHeight, Wasting: SeverelyWasted, Underweight: SeverelyUnderweight, BMI: SeverelyWasted}},
		{"flagged", Result{HAZ: &high, WAZ: &high, WHZ: &high, BAZ: &high,
			Flags: []Flag{FlagHAZImplausible, FlagWAZImplausible, FlagWHZImplausible, FlagBAZImplausible}},
			Categories{Stunting: Implausible, Wasting: Implausible, Underweight: Implausible, BMI: Implausible}},
		// A flag on one indicator leaves the others classified.
		{"one flag", Result{WAZ: &high, WHZ: &z, Flags: []Flag{FlagWAZImplausible}},
			Categories{Wasting: WellNourished, Underweight: Implausible}},
	} {
		if got := Categorize(tc.r); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// End to end on anthro's README example (child 2: 1000 days, girl, 15 kg,
// 80 cm): HAZ −3.50, WAZ 0.95, WHZ 4.13, BAZ 4.66.
func TestCategorizeAssessment(t *testing.T) {
	r := mustAssess(t, Input{Sex: Female, AgeDays: 1000, WeightKg: ptr(15), LenHeiCm: ptr(80)})
	want := Categories{Stunting: SeverelyStunted, Wasting: Obese, Underweight: NormalWeight, BMI: Obese}
	if got := Categorize(r); got != want {
		t.Errorf("%+v, want %+v", got, want)
	}
}
