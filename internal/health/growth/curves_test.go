package growth

import (
	"errors"
	"math"
	"testing"
)

func TestCurveShape(t *testing.T) {
	sds := []float64{-3, -2, 0, 2, 3}
	for _, tc := range []struct {
		ind         Indicator
		n           int
		first, last float64
		second      float64
	}{
		{LengthHeightForAge, 1827, 0, 1826, 1},
		{WeightForAge, 1827, 0, 1826, 1},
		{BMIForAge, 1827, 0, 1826, 1},
		{WeightForLength, 651, 45, 110, 45.1},
		{WeightForHeight, 551, 65, 120, 65.1},
	} {
		for _, sex := range []Sex{Male, Female} {
			pts, err := Curve(tc.ind, sex, sds)
			if err != nil {
				t.Fatal(err)
			}
			if len(pts) != tc.n || pts[0].X != tc.first || pts[1].X != tc.second || pts[len(pts)-1].X != tc.last {
				t.Errorf("%v %d: %d points from %v, %v to %v", tc.ind, sex, len(pts), pts[0].X, pts[1].X, pts[len(pts)-1].X)
			}
		}
	}

	// The median line is M; the table row anthro's length-for-age test uses
	// is day 44 for boys, M 56.4833.
	pts, _ := Curve(LengthHeightForAge, Male, []float64{0})
	if pts[44].Y[0] != 56.4833 {
		t.Errorf("median length at 44 days = %v", pts[44].Y[0])
	}
}

// Every line up to ±MaxCurveSD is finite and the lines never cross, for
// every row of every table; and a child exactly on a line gets that z-score.
func TestCurveLinesOrderedAndConsistent(t *testing.T) {
	var sds []float64
	for k := -MaxCurveSD; k <= MaxCurveSD; k++ {
		sds = append(sds, float64(k))
	}
	for _, ind := range []Indicator{LengthHeightForAge, WeightForAge, WeightForLength, WeightForHeight, BMIForAge} {
		for _, sex := range []Sex{Male, Female} {
			pts, err := Curve(ind, sex, sds)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pts {
				for j, y := range p.Y {
					if math.IsNaN(y) || math.IsInf(y, 0) || y <= 0 || (j > 0 && y <= p.Y[j-1]) {
						t.Fatalf("%v %d at %v: lines %v", ind, sex, p.X, p.Y)
					}
				}
			}
		}
	}

	// A boy of 900 days exactly on the +2 SD weight line has WAZ 2.
	pts, _ := Curve(WeightForAge, Male, []float64{2, -2})
	r := mustAssess(t, Input{Sex: Male, AgeDays: 900, WeightKg: &pts[900].Y[0]})
	if *r.WAZ != 2 {
		t.Errorf("WAZ on the +2 line = %v", *r.WAZ)
	}
	r = mustAssess(t, Input{Sex: Male, AgeDays: 900, WeightKg: &pts[900].Y[1]})
	if *r.WAZ != -2 {
		t.Errorf("WAZ on the -2 line = %v", *r.WAZ)
	}
}

func TestCurveErrors(t *testing.T) {
	for _, tc := range []struct {
		ind  Indicator
		sex  Sex
		sds  []float64
		code Code
	}{
		{0, Male, nil, CodeIndicatorInvalid},
		{BMIForAge + 1, Male, nil, CodeIndicatorInvalid},
		{WeightForAge, 0, nil, CodeSexInvalid},
		{WeightForAge, Male, []float64{0, 6.5}, CodeSDOutOfRange},
		{WeightForAge, Male, []float64{math.NaN()}, CodeSDOutOfRange},
	} {
		_, err := Curve(tc.ind, tc.sex, tc.sds)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != tc.code {
			t.Errorf("Curve(%v, %v, %v): %v", tc.ind, tc.sex, tc.sds, err)
		}
	}
	if WeightForHeight.String() != "weight_for_height" || Indicator(99).String() != "unknown" {
		t.Error("Indicator.String")
	}
}
