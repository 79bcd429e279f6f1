package growth

// Category is a nutritional-status class of Permenkes 2/2020 (Standar
// Antropometri Anak), as a stable code for catalogs and storage. Each code
// belongs to one indicator, except that BMI-for-age uses the codes of
// weight-for-length/height, because Permenkes gives both the same classes
// and names. The Indonesian names are in the comments.
type Category string

const (
	// NotAssessed: no z-score (nothing measured, child over 5 years, or
	// length outside the weight-for-length/height table).
	NotAssessed Category = ""
	// Implausible: the z-score carries WHO's implausible-value flag. WHO
	// Anthro leaves flagged z-scores out of its prevalences, so they get no
	// class here either; the measurement should be checked.
	Implausible Category = "implausible"

	// Length/height-for-age (PB/U, TB/U).
	SeverelyStunted Category = "severely_stunted" // sangat pendek: HAZ < −3
	Stunted         Category = "stunted"          // pendek: −3 ≤ HAZ < −2
	NormalHeight    Category = "normal_height"    // normal: −2 ≤ HAZ ≤ +3
	Tall            Category = "tall"             // tinggi: HAZ > +3

	// Weight-for-length/height (BB/PB, BB/TB) and BMI-for-age (IMT/U).
	SeverelyWasted   Category = "severely_wasted"    // gizi buruk: z < −3
	Wasted           Category = "wasted"             // gizi kurang: −3 ≤ z < −2
	WellNourished    Category = "well_nourished"     // gizi baik: −2 ≤ z ≤ +1
	RiskOfOverweight Category = "risk_of_overweight" // berisiko gizi lebih: +1 < z ≤ +2
	Overweight       Category = "overweight"         // gizi lebih: +2 < z ≤ +3
	Obese            Category = "obese"              // obesitas: z > +3

	// Weight-for-age (BB/U).
	SeverelyUnderweight Category = "severely_underweight"  // berat badan sangat kurang: WAZ < −3
	Underweight         Category = "underweight"           // berat badan kurang: −3 ≤ WAZ < −2
	NormalWeight        Category = "normal_weight"         // berat badan normal: −2 ≤ WAZ ≤ +1
	RiskOfExcessWeight  Category = "risk_of_excess_weight" // risiko berat badan lebih: WAZ > +1
)

// Categories is the nutritional status of one assessment.
type Categories struct {
	Stunting    Category // from HAZ
	Wasting     Category // from WHZ
	Underweight Category // from WAZ
	BMI         Category // from BAZ, with the classes of Wasting
}

// Categorize classifies an assessment by the Permenkes 2/2020 cut-offs,
// applied to the z-scores as rounded by Assess. A child with oedema is
// severely wasted and severely underweight whatever the weight, as WHO
// Anthro counts oedema below −3 SD on every weight-based indicator.
func Categorize(r Result) Categories {
	return Categories{
		Stunting:    stunting(r),
		Wasting:     wasting(r.WHZ, r.Oedema, r.HasFlag(FlagWHZImplausible)),
		Underweight: underweight(r),
		BMI:         wasting(r.BAZ, r.Oedema, r.HasFlag(FlagBAZImplausible)),
	}
}

func stunting(r Result) Category {
	switch z := r.HAZ; {
	case z == nil:
		return NotAssessed
	case r.HasFlag(FlagHAZImplausible):
		return Implausible
	case *z < -3:
		return SeverelyStunted
	case *z < -2:
		return Stunted
	case *z > 3:
		return Tall
	default:
		return NormalHeight
	}
}

func wasting(z *float64, oedema, flagged bool) Category {
	switch {
	case oedema:
		return SeverelyWasted
	case z == nil:
		return NotAssessed
	case flagged:
		return Implausible
	case *z < -3:
		return SeverelyWasted
	case *z < -2:
		return Wasted
	case *z > 3:
		return Obese
	case *z > 2:
		return Overweight
	case *z > 1:
		return RiskOfOverweight
	default:
		return WellNourished
	}
}

func underweight(r Result) Category {
	switch z := r.WAZ; {
	case r.Oedema:
		return SeverelyUnderweight
	case z == nil:
		return NotAssessed
	case r.HasFlag(FlagWAZImplausible):
		return Implausible
	case *z < -3:
		return SeverelyUnderweight
	case *z < -2:
		return Underweight
	case *z > 1:
		return RiskOfExcessWeight
	default:
		return NormalWeight
	}
}
