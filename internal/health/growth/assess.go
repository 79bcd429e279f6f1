package growth

import "math"

// Sex of the child, numbered as in WHO's tables.
type Sex int

const (
	Male   Sex = 1
	Female Sex = 2
)

// Position is how the length/height was measured.
type Position string

const (
	// PositionUnknown: no adjustment is made. WHO Anthro then assumes the
	// position the age calls for (lying under 24 months, standing after).
	PositionUnknown Position = ""
	// Lying: recumbent length on a length board.
	Lying Position = "lying"
	// Standing: standing height.
	Standing Position = "standing"
)

// Bounds of a measurement that Assess accepts. Outside them the number
// cannot be a child under five measured correctly (a typo, the wrong unit),
// so Assess refuses it instead of computing a z-score. They are the
// bounds of the WHO/UNICEF 2019 recommendations on anthropometric data,
// which WHO's Anthro Survey Analyser applies before computing z-scores:
// weight 0.5–40 kg, length/height 35–140 cm (on the value as measured).
// Values inside them that are still unlikely are not refused: their
// z-scores are computed and flagged (see Flag).
const (
	MinWeightKg = 0.5
	MaxWeightKg = 40.0
	MinLenHeiCm = 35.0
	MaxLenHeiCm = 140.0
)

// Input is one measurement of one child.
type Input struct {
	Sex      Sex
	AgeDays  int      // from AgeInDays or AgeDaysFromMonths
	WeightKg *float64 // nil when not weighed
	LenHeiCm *float64 // length or height as measured; nil when not measured
	Position Position // how LenHeiCm was measured
	Oedema   bool     // bilateral pitting oedema
}

// Flag marks a z-score that WHO considers implausible, or a measurement
// taken in an implausible way. The value is a stable code for catalogs.
type Flag string

// WHO's flags (anthro_zscores: flen, fwei, fwfl, fbmi, c9mo_flag). A
// flagged z-score is still returned: it may be a measurement error or a
// very sick child, and only a person can tell which.
const (
	FlagHAZImplausible      Flag = "haz_implausible"      // |HAZ| > 6
	FlagWAZImplausible      Flag = "waz_implausible"      // WAZ < −6 or WAZ > 5
	FlagWHZImplausible      Flag = "whz_implausible"      // |WHZ| > 5
	FlagBAZImplausible      Flag = "baz_implausible"      // |BAZ| > 5
	FlagPositionImplausible Flag = "position_implausible" // standing height under 9 months
)

// Result is the assessment of one measurement. A nil value was not
// computed: the measurement was missing, the child is older than
// MaxAgeDays, oedema rules out the weight-based z-scores, or the length is
// outside the weight-for-length/height table.
type Result struct {
	HAZ *float64 // length/height-for-age z-score
	WAZ *float64 // weight-for-age z-score
	WHZ *float64 // weight-for-length (under 731 days) or weight-for-height z-score
	BAZ *float64 // BMI-for-age z-score

	// WHZIndicator says which table WHZ comes from: WeightForLength or
	// WeightForHeight; zero when WHZ is nil.
	WHZIndicator Indicator

	// LenHeiAdjustedCm is the length/height the z-scores use, after the
	// ±0.7 cm standardisation; BMI is computed from it.
	LenHeiAdjustedCm *float64
	BMI              *float64 // kg/m²

	// Oedema is set when oedema was reported for a child the standards
	// cover. WHO counts such a child as below −3 SD on the weight-based
	// indicators (see Categorize).
	Oedema bool

	Flags []Flag
}

// HasFlag reports whether r carries flag f.
func (r Result) HasFlag(f Flag) bool {
	for _, g := range r.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// resultValues backs the pointers and flags of one Result, so that Assess
// allocates once per call.
type resultValues struct {
	haz, waz, whz, baz, lenHei, bmi float64
	flags                           [5]Flag
}

// Assess computes a child's z-scores as WHO Anthro does (the package
// documentation lists the rules). It returns an *InputError only for input
// that cannot be a real measurement of a child: a sex other than Male or
// Female, a negative age, an unknown Position, or a weight or length
// outside MinWeightKg…MaxWeightKg or MinLenHeiCm…MaxLenHeiCm.
// Implausible but possible values are computed and flagged.
func Assess(in Input) (Result, error) {
	if err := in.validate(); err != nil {
		return Result{}, err
	}
	if in.WeightKg == nil && in.LenHeiCm == nil {
		return Result{Oedema: in.Oedema && in.AgeDays <= MaxAgeDays}, nil
	}

	v := new(resultValues)
	r := Result{Flags: v.flags[:0]}
	day := in.AgeDays
	// The standards cover ages 0–1826 days. The adjusted length and the BMI
	// are still given for older children, as WHO Anthro gives them.
	covered := day <= MaxAgeDays
	weightBased := !in.Oedema // WHO: no weight-based z-score with oedema
	r.Oedema = in.Oedema && covered

	var lenHei, weight float64
	if in.LenHeiCm != nil {
		lenHei = in.standardLenHei(&r)
		v.lenHei = lenHei
		r.LenHeiAdjustedCm = &v.lenHei
	}
	if in.WeightKg != nil {
		weight = *in.WeightKg
	}
	if in.WeightKg != nil && in.LenHeiCm != nil {
		m := lenHei / 100
		v.bmi = weight / (m * m)
		r.BMI = &v.bmi
	}

	if covered && in.LenHeiCm != nil {
		// Length/height-for-age is normally distributed (L = 1 in every
		// row), so WHO uses the plain z-score at every distance.
		v.haz = round2(lengthForAgeTable.at(in.Sex, day).z(lenHei))
		r.HAZ = &v.haz
		if math.Abs(v.haz) > 6 {
			r.Flags = append(r.Flags, FlagHAZImplausible)
		}
	}
	if covered && weightBased && in.WeightKg != nil {
		v.waz = round2(weightForAgeTable.at(in.Sex, day).zRestricted(weight))
		r.WAZ = &v.waz
		if v.waz < -6 || v.waz > 5 {
			r.Flags = append(r.Flags, FlagWAZImplausible)
		}
	}
	if covered && weightBased && r.BMI != nil {
		// Under 731 days the child is assessed against weight-for-length
		// (45–110 cm), from 731 days against weight-for-height (65–120 cm),
		// always on the standardised length/height; outside the table there
		// is no z-score.
		table, ind := &weightForLengthTable, WeightForLength
		if day >= lenHeiSwitchDay {
			table, ind = &weightForHeightTable, WeightForHeight
		}
		if row, ok := table.at(in.Sex, lenHei); ok {
			v.whz = round2(row.zRestricted(weight))
			r.WHZ = &v.whz
			r.WHZIndicator = ind
			if math.Abs(v.whz) > 5 {
				r.Flags = append(r.Flags, FlagWHZImplausible)
			}
		}

		v.baz = round2(bmiForAgeTable.at(in.Sex, day).zRestricted(v.bmi))
		r.BAZ = &v.baz
		if math.Abs(v.baz) > 5 {
			r.Flags = append(r.Flags, FlagBAZImplausible)
		}
	}

	if len(r.Flags) == 0 {
		r.Flags = nil
	} else {
		// Cap the slice so that appending to a copy never writes into v.
		r.Flags = r.Flags[:len(r.Flags):len(r.Flags)]
	}
	return r, nil
}

// standardLenHei converts the measured length/height to the one the tables
// expect: recumbent length under 731 days, standing height from 731 days.
// Standing height is on average 0.7 cm less than recumbent length (WHO
// Child Growth Standards, 2006). A standing measurement under 9 months is
// implausible (WHO Anthro's c9mo_flag): it is flagged and treated as of
// unknown position, so it is not adjusted.
func (in Input) standardLenHei(r *Result) float64 {
	h := *in.LenHeiCm
	pos := in.Position
	if pos == Standing && float64(in.AgeDays) < 9*daysPerMonth {
		r.Flags = append(r.Flags, FlagPositionImplausible)
		pos = PositionUnknown
	}
	switch {
	case in.AgeDays < lenHeiSwitchDay && pos == Standing:
		h += 0.7
	case in.AgeDays >= lenHeiSwitchDay && pos == Lying:
		h -= 0.7
	}
	return h
}

func (in Input) validate() error {
	if in.Sex != Male && in.Sex != Female {
		return &InputError{Field: FieldSex, Code: CodeSexInvalid, Detail: "sex must be Male (1) or Female (2)"}
	}
	if in.AgeDays < 0 {
		return &InputError{Field: FieldAgeDays, Code: CodeAgeInvalid, Detail: "the age in days must not be negative"}
	}
	if w := in.WeightKg; w != nil && !(*w >= MinWeightKg && *w <= MaxWeightKg) {
		return &InputError{Field: FieldWeight, Code: CodeWeightOutOfRange, Detail: "the weight must be 0.5–40 kg"}
	}
	if h := in.LenHeiCm; h != nil && !(*h >= MinLenHeiCm && *h <= MaxLenHeiCm) {
		return &InputError{Field: FieldLenHei, Code: CodeLenHeiOutOfRange, Detail: "the length/height must be 35–140 cm"}
	}
	switch in.Position {
	case PositionUnknown, Lying, Standing:
	default:
		return &InputError{Field: FieldPosition, Code: CodePositionInvalid, Detail: `the position must be "lying", "standing" or empty`}
	}
	return nil
}
