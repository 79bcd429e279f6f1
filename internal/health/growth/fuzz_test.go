package growth

import (
	"errors"
	"math"
	"testing"
)

// FuzzAssess: Assess never panics, refuses only with an *InputError, and
// never returns a NaN or infinite value; categories follow.
func FuzzAssess(f *testing.F) {
	f.Add(uint8(1), 0, 3.3, 50.0, uint8(1), false, true, true)
	f.Add(uint8(2), 730, 12.0, 85.0, uint8(2), false, true, true)
	f.Add(uint8(2), 731, 40.0, 35.0, uint8(1), true, true, true)
	f.Add(uint8(1), 1826, 0.5, 140.0, uint8(0), false, true, true)
	f.Add(uint8(1), 1827, 20.0, 110.0, uint8(2), false, true, false)
	f.Add(uint8(3), -5, math.NaN(), math.Inf(1), uint8(7), false, true, true)
	f.Fuzz(func(t *testing.T, sex uint8, age int, w, h float64, pos uint8, oedema, hasW, hasH bool) {
		in := Input{Sex: Sex(sex), AgeDays: age, Oedema: oedema}
		in.Position = []Position{PositionUnknown, Lying, Standing, "x"}[pos%4]
		if hasW {
			in.WeightKg = &w
		}
		if hasH {
			in.LenHeiCm = &h
		}
		r, err := Assess(in)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Code == "" || ie.Field == "" {
				t.Fatalf("error %v is not an *InputError", err)
			}
			return
		}
		for _, v := range []*float64{r.HAZ, r.WAZ, r.WHZ, r.BAZ, r.LenHeiAdjustedCm, r.BMI} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
				t.Fatalf("%+v: non-finite value in %+v", in, r)
			}
		}
		if oedema && (r.WAZ != nil || r.WHZ != nil || r.BAZ != nil) {
			t.Fatalf("%+v: weight-based z-score with oedema", in)
		}
		if age > MaxAgeDays && (r.HAZ != nil || r.WAZ != nil || r.WHZ != nil || r.BAZ != nil) {
			t.Fatalf("%+v: z-score past %d days", in, MaxAgeDays)
		}
		if (r.WHZ == nil) != (r.WHZIndicator == 0) {
			t.Fatalf("%+v: WHZ %v from %v", in, r.WHZ, r.WHZIndicator)
		}
		Categorize(r)
	})
}

// FuzzAgeDaysFromMonths: any float gives either an error or a day count
// that is never negative and never puts a child of 60 months in range.
func FuzzAgeDaysFromMonths(f *testing.F) {
	for _, m := range []float64{0, 8, 24, 59.99, 60, 60.004, -1, math.NaN(), 1e308} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, months float64) {
		d, err := AgeDaysFromMonths(months)
		if err != nil {
			return
		}
		if d < 0 || (months >= 60 && d <= MaxAgeDays) || (months < 60 && d > MaxAgeDays) {
			t.Fatalf("%v months → %d days", months, d)
		}
	})
}
