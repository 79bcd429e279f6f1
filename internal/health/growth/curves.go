package growth

import "math"

// Indicator is one of the WHO growth indicators this package computes.
type Indicator int

const (
	LengthHeightForAge Indicator = iota + 1 // by day, 0–1826
	WeightForAge                            // by day, 0–1826
	WeightForLength                         // by 0.1 cm, 45–110 cm (under 731 days)
	WeightForHeight                         // by 0.1 cm, 65–120 cm (from 731 days)
	BMIForAge                               // by day, 0–1826
)

// String returns a stable name for the indicator.
func (i Indicator) String() string {
	switch i {
	case LengthHeightForAge:
		return "length_height_for_age"
	case WeightForAge:
		return "weight_for_age"
	case WeightForLength:
		return "weight_for_length"
	case WeightForHeight:
		return "weight_for_height"
	case BMIForAge:
		return "bmi_for_age"
	}
	return "unknown"
}

// MaxCurveSD is the farthest SD line Curve draws. It covers WHO's flag
// limits (±5, ±6), and every WHO table row gives a finite, increasing value
// up to it.
const MaxCurveSD = 6

// Point is one step of a reference curve.
type Point struct {
	// X is the age in days (LengthHeightForAge, WeightForAge, BMIForAge)
	// or the length/height in cm (WeightForLength, WeightForHeight).
	X float64
	// Y[i] is the measurement (cm, kg or kg/m²) at the i-th requested SD.
	Y []float64
}

// Curve returns the SD lines of an indicator for a growth chart, one point
// per table row (per day, or per 0.1 cm), for the requested SDs (e.g. −3,
// −2, 0, +2, +3). Each line is SD(k) = M·(1 + L·S·k)^(1/L), the LMS
// value WHO's own charts plot. Length/height-for-age is recumbent length up
// to day 730 and standing height from day 731, so the lines step down by
// about 0.7 cm there, as on WHO's charts.
func Curve(ind Indicator, sex Sex, sds []float64) ([]Point, error) {
	if sex != Male && sex != Female {
		return nil, &InputError{Field: FieldSex, Code: CodeSexInvalid, Detail: "sex must be Male (1) or Female (2)"}
	}
	for _, k := range sds {
		if !(math.Abs(k) <= MaxCurveSD) {
			return nil, &InputError{Field: FieldSD, Code: CodeSDOutOfRange, Detail: "an SD line must be between −6 and +6"}
		}
	}
	var rows []lms
	x := func(i int) float64 { return float64(i) }
	switch ind {
	case LengthHeightForAge:
		rows = lengthForAgeTable.rows[sex-1]
	case WeightForAge:
		rows = weightForAgeTable.rows[sex-1]
	case BMIForAge:
		rows = bmiForAgeTable.rows[sex-1]
	case WeightForLength, WeightForHeight:
		t := &weightForLengthTable
		if ind == WeightForHeight {
			t = &weightForHeightTable
		}
		rows = t.rows[sex-1]
		// Computed from the tenth, not accumulated, so that X is exactly
		// the table's 45.1, 45.2, …
		x = func(i int) float64 { return float64(t.first+i) / 10 }
	default:
		return nil, &InputError{Field: FieldIndicator, Code: CodeIndicatorInvalid, Detail: "unknown indicator"}
	}

	points := make([]Point, len(rows))
	ys := make([]float64, len(rows)*len(sds))
	for i, row := range rows {
		y := ys[i*len(sds) : (i+1)*len(sds) : (i+1)*len(sds)]
		for j, k := range sds {
			y[j] = row.sd(k)
		}
		points[i] = Point{X: x(i), Y: y}
	}
	return points, nil
}
