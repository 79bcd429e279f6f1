// Package retribution computes the PBG retribution (retribusi
// Persetujuan Bangunan Gedung) of DOMAIN.md §6:
//
//	R  = LLt × It × Ibg × Ilo × SHST
//	It = If × (0.3·complexity + 0.2·permanence + 0.5·height) × Fm
//
// The indices are data (Indices), shipped with Kupang defaults and
// editable by an administrator, because the city's regional regulation
// sets them and may change them.
package retribution

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Indices are the configurable index tables. Map keys are the codes an
// applicant or officer picks (building function, complexity, …).
type Indices struct {
	Function   map[string]float64 `json:"function"`   // If, by building function
	Complexity map[string]float64 `json:"complexity"` // by complexity class
	Permanence map[string]float64 `json:"permanence"` // by permanence class
	// Height bands: the first band whose MaxFloors ≥ the building's floors.
	Height    []HeightBand       `json:"height"`
	Ownership map[string]float64 `json:"ownership"` // Fm, by ownership
	Building  map[string]float64 `json:"building"`  // Ibg, by kind of work
	Locality  float64            `json:"locality"`  // Ilo as a fraction (0.005 = 0.5 %)
	SHST      float64            `json:"shst"`      // standard building cost, Rp per m²
	DueDays   int                `json:"due_days"`  // SKRD due date, in working days from assessment
}

// HeightBand is one row of the height index table.
type HeightBand struct {
	MaxFloors int     `json:"max_floors"`
	Index     float64 `json:"index"`
}

// Defaults are Kupang's starting values. Source: PP 16/2021 (lampiran,
// indeks terintegrasi) and Permen PUPR on PBG retribution; SHST is the
// city's standard building cost per m². (verify against Kupang's Perda on
// retribution: these are the only place in the code the numbers live.)
func Defaults() Indices {
	return Indices{
		Function: map[string]float64{
			"hunian_sederhana": 0.15, // simple house (DOMAIN.md §6)
			"hunian":           0.17,
			"usaha":            0.7, // business (DOMAIN.md §6)
			"umkm":             0.5,
			"sosial_budaya":    0.3,
			"keagamaan":        0, // religious (DOMAIN.md §6)
			"campuran":         0.8,
			"khusus":           1.0,
		},
		Complexity: map[string]float64{"sederhana": 0.4, "tidak_sederhana": 0.7},
		Permanence: map[string]float64{"non_permanen": 0.4, "permanen": 1.0},
		Height:     []HeightBand{{MaxFloors: 2, Index: 0.4}, {MaxFloors: 4, Index: 0.7}, {MaxFloors: 1000, Index: 1.0}},
		Ownership:  map[string]float64{"perorangan": 1.0, "badan_usaha": 1.0, "negara": 0},
		Building:   map[string]float64{"baru": 1.0, "rehabilitasi_sedang": 0.45, "rehabilitasi_berat": 0.65},
		Locality:   0.005,
		SHST:       4_500_000,
		DueDays:    10,
	}
}

// MaxLocality is the legal ceiling of Ilo (0.5 %, DOMAIN.md §6).
const MaxLocality = 0.005

// Validate checks that an edited table is usable.
func (ix Indices) Validate() error {
	for name, m := range map[string]map[string]float64{"function": ix.Function, "complexity": ix.Complexity,
		"permanence": ix.Permanence, "ownership": ix.Ownership, "building": ix.Building} {
		if len(m) == 0 {
			return fmt.Errorf("%s: at least one entry is needed", name)
		}
		for k, v := range m {
			if k == "" || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: %q has an invalid index", name, k)
			}
		}
	}
	if len(ix.Height) == 0 {
		return errors.New("height: at least one band is needed")
	}
	for i, b := range ix.Height {
		if b.MaxFloors < 1 || b.Index < 0 || (i > 0 && b.MaxFloors <= ix.Height[i-1].MaxFloors) {
			return errors.New("height: bands need increasing max_floors and non-negative indices")
		}
	}
	if ix.Locality <= 0 || ix.Locality > MaxLocality {
		return fmt.Errorf("locality: must be above 0 and at most %g", MaxLocality)
	}
	if ix.SHST <= 0 {
		return errors.New("shst: must be positive")
	}
	if ix.DueDays < 1 {
		return errors.New("due_days: must be at least 1")
	}
	return nil
}

// Input is what the retribution assessment records.
type Input struct {
	Area       float64 `json:"area"` // LLt, total floor area in m²
	Function   string  `json:"function"`
	Complexity string  `json:"complexity"`
	Permanence string  `json:"permanence"`
	Floors     int     `json:"floors"`
	Ownership  string  `json:"ownership"`
	Building   string  `json:"building"`
}

// Breakdown shows every factor of the result, so an applicant can check
// the bill by hand.
type Breakdown struct {
	LLt        float64 `json:"llt"`
	If         float64 `json:"if"`
	Complexity float64 `json:"complexity"`
	Permanence float64 `json:"permanence"`
	Height     float64 `json:"height"`
	Fm         float64 `json:"fm"`
	It         float64 `json:"it"`
	Ibg        float64 `json:"ibg"`
	Ilo        float64 `json:"ilo"`
	SHST       float64 `json:"shst"`
}

// FieldError names the input that is wrong.
type FieldError struct{ Field, Reason string }

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Compute returns the retribution in whole rupiah (rounded half up) and
// its breakdown.
func (ix Indices) Compute(in Input) (int64, Breakdown, error) {
	if in.Area <= 0 || math.IsNaN(in.Area) || math.IsInf(in.Area, 0) || in.Area > 10_000_000 {
		return 0, Breakdown{}, &FieldError{"area", "must be a positive floor area in m²"}
	}
	if in.Floors < 1 || in.Floors > 500 {
		return 0, Breakdown{}, &FieldError{"floors", "must be between 1 and 500"}
	}
	pick := func(field string, m map[string]float64, key string) (float64, error) {
		v, ok := m[key]
		if !ok {
			return 0, &FieldError{field, "must be one of " + fmt.Sprint(Keys(m))}
		}
		return v, nil
	}
	var b Breakdown
	var err error
	b.LLt = in.Area
	if b.If, err = pick("function", ix.Function, in.Function); err != nil {
		return 0, b, err
	}
	if b.Complexity, err = pick("complexity", ix.Complexity, in.Complexity); err != nil {
		return 0, b, err
	}
	if b.Permanence, err = pick("permanence", ix.Permanence, in.Permanence); err != nil {
		return 0, b, err
	}
	if b.Fm, err = pick("ownership", ix.Ownership, in.Ownership); err != nil {
		return 0, b, err
	}
	if b.Ibg, err = pick("building", ix.Building, in.Building); err != nil {
		return 0, b, err
	}
	b.Height = ix.Height[len(ix.Height)-1].Index
	for _, h := range ix.Height {
		if in.Floors <= h.MaxFloors {
			b.Height = h.Index
			break
		}
	}
	b.Ilo, b.SHST = ix.Locality, ix.SHST
	b.It = b.If * (0.3*b.Complexity + 0.2*b.Permanence + 0.5*b.Height) * b.Fm
	r := b.LLt * b.It * b.Ibg * b.Ilo * b.SHST
	// Round to whole rupiah; the small epsilon absorbs binary float noise
	// so that an exact half rupiah rounds up as the formula intends.
	return int64(math.Floor(r + 0.5 + 1e-9)), b, nil
}

// Keys lists a table's codes in order, for forms and error messages.
func Keys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
