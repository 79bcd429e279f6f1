package growth

import (
	"math"
	"testing"
)

// allRows returns every row of every table, with a name for messages.
func allRows() map[string][]lms {
	m := map[string][]lms{}
	for i, sex := range []string{"male", "female"} {
		m["weianthro "+sex] = weightForAgeTable.rows[i]
		m["lenanthro "+sex] = lengthForAgeTable.rows[i]
		m["bmianthro "+sex] = bmiForAgeTable.rows[i]
		m["wflanthro "+sex] = weightForLengthTable.rows[i]
		m["wfhanthro "+sex] = weightForHeightTable.rows[i]
	}
	return m
}

// The SD line formula is the inverse of the z-score formula: the value on
// the k SD line has z-score k, on both sides of the median, for every row.
func TestSDLineInvertsZ(t *testing.T) {
	for name, rows := range allRows() {
		for i, row := range rows {
			if row.sd(0) != row.m {
				t.Fatalf("%s row %d: SD(0) = %v, want M = %v", name, i, row.sd(0), row.m)
			}
			for _, k := range []float64{-3, -2, -1, -0.5, 0.5, 1, 2, 3} {
				if z := row.z(row.sd(k)); math.Abs(z-k) > 1e-9 {
					t.Fatalf("%s row %d: z(SD(%v)) = %v", name, i, k, z)
				}
				if z := row.zRestricted(row.sd(k)); math.Abs(z-k) > 1e-9 {
					t.Fatalf("%s row %d: restricted z(SD(%v)) = %v", name, i, k, z)
				}
			}
		}
	}
}

// Beyond ±3 the restricted z-score counts in steps of the distance between
// the 2 and 3 SD lines on that side, and is continuous at ±3.
func TestRestrictedZBeyondThree(t *testing.T) {
	for name, rows := range allRows() {
		for i, row := range rows {
			up := row.sd(3) - row.sd(2)
			down := row.sd(-2) - row.sd(-3)
			for _, tc := range []struct{ y, want float64 }{
				{row.sd(3) + up, 4},
				{row.sd(3) + 2.5*up, 5.5},
				{row.sd(-3) - down, -4},
				{row.sd(-3) - 2*down, -5},
				{row.sd(3) * (1 + 1e-12), 3},
				{row.sd(-3) * (1 - 1e-12), -3},
			} {
				if z := row.zRestricted(tc.y); math.Abs(z-tc.want) > 1e-6 {
					t.Fatalf("%s row %d: restricted z(%v) = %v, want %v", name, i, tc.y, z, tc.want)
				}
			}
		}
	}
	// A weight-for-age row with a marked skew, where plain and restricted
	// z-scores differ beyond ±3.
	row := weightForAgeTable.at(Female, 1000)
	y := row.sd(3) + 2*(row.sd(3)-row.sd(2))
	if plain, restricted := row.z(y), row.zRestricted(y); math.Abs(restricted-5) > 1e-9 || math.Abs(plain-5) < 0.1 {
		t.Errorf("plain %v, restricted %v: want restricted 5 and plain clearly different", plain, restricted)
	}
}

// L = 0 never occurs in WHO's tables, but the formulas must not divide by
// zero: its limit is the log-normal z = ln(y/M)/S.
func TestLMSWithZeroL(t *testing.T) {
	row := lms{l: 0, m: 10, s: 0.1}
	for _, k := range []float64{-3, -1, 0, 2, 3} {
		if z := row.z(row.sd(k)); math.Abs(z-k) > 1e-12 {
			t.Errorf("z(SD(%v)) = %v", k, z)
		}
	}
	if z := row.z(10 * math.E); math.Abs(z-10) > 1e-12 {
		t.Errorf("z(10e) = %v, want 10", z)
	}
}

func TestByTenthInterpolation(t *testing.T) {
	wfl := &weightForLengthTable
	r0, r1 := wfl.rows[0][0], wfl.rows[0][1] // 45.0 and 45.1 cm, male
	for _, tc := range []struct {
		cm   float64
		ok   bool
		want lms
	}{
		{45, true, r0},
		{45.1, true, r1},
		{45.05, true, lms{(r0.l + r1.l) / 2, (r0.m + r1.m) / 2, (r0.s + r1.s) / 2}},
		{110, true, wfl.rows[0][650]},
		{44.99, false, lms{}},
		{110.01, false, lms{}},
		{math.NaN(), false, lms{}},
	} {
		got, ok := wfl.at(Male, tc.cm)
		if ok != tc.ok {
			t.Errorf("%v cm: ok = %v", tc.cm, ok)
			continue
		}
		if math.Abs(got.l-tc.want.l) > 1e-12 || math.Abs(got.m-tc.want.m) > 1e-12 || math.Abs(got.s-tc.want.s) > 1e-12 {
			t.Errorf("%v cm: %+v, want %+v", tc.cm, got, tc.want)
		}
	}
	if _, ok := weightForHeightTable.at(Female, 64.99); ok {
		t.Error("64.99 cm is inside the weight-for-height table")
	}
	if _, ok := weightForHeightTable.at(Female, 65); !ok {
		t.Error("65 cm is outside the weight-for-height table")
	}
}

func TestRound2(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{1.234, 1.23}, {-1.236, -1.24}, {2.996, 3}, {-0.004, 0}, {5.0049, 5},
	} {
		if got := round2(tc.in); got != tc.want {
			t.Errorf("round2(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
