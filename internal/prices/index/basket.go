package index

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Basket is the fixed basket of a CPI series: the base period, and for each
// commodity its weight w_i = P_0,i·Q_0,i, the value of the base-period
// quantity at base-period prices. BPS publishes these values from its cost
// of living survey (SBH), so the basket holds them directly rather than
// prices and quantities separately; only their ratios matter, so any common
// unit (rupiah, per mille, percent) gives the same index.
type Basket struct {
	Name string
	// Base is the base period, where the index is 100.
	Base Month
	// Weights maps a commodity code to its base-period value w_i.
	Weights map[string]float64
	// Groups maps a commodity code to its BPS expenditure group code
	// ("01" … "11"). It is optional: without it no group indices are
	// computed, and a commodity left out of it counts in the headline
	// index only.
	Groups map[string]string
}

// Validate reports the first problem with b, checking commodities in code
// order so that the same basket always gives the same message.
func (b Basket) Validate() error {
	if !b.Base.Valid() {
		return fmt.Errorf("index: basket %q: invalid base period %d-%d", b.Name, b.Base.Year, int(b.Base.Month))
	}
	if len(b.Weights) == 0 {
		return fmt.Errorf("index: basket %q has no commodities", b.Name)
	}
	for _, code := range sortedKeys(b.Weights) {
		w := b.Weights[code]
		if strings.TrimSpace(code) == "" {
			return fmt.Errorf("index: basket %q: empty commodity code", b.Name)
		}
		// A zero weight would put a commodity in the index that can never
		// move it; a negative or infinite one has no meaning.
		if !(w > 0) || math.IsInf(w, 1) {
			return fmt.Errorf("index: basket %q: commodity %q has weight %v: weights must be finite and positive", b.Name, code, w)
		}
	}
	for _, code := range sortedKeys(b.Groups) {
		if _, ok := b.Weights[code]; !ok {
			return fmt.Errorf("index: basket %q: group given for commodity %q, which has no weight", b.Name, code)
		}
		if _, ok := ExpenditureGroup(b.Groups[code]); !ok {
			return fmt.Errorf("index: basket %q: commodity %q: unknown expenditure group %q (want 01–11)", b.Name, code, b.Groups[code])
		}
	}
	return nil
}

// MissingBaseError is returned when basket commodities have no price in the
// base period. Every later price of such a commodity is compared with its
// base price (P_n,i / P_0,i), so without one the commodity cannot be in the
// index: the basket or the data must be fixed, not guessed.
type MissingBaseError struct {
	Basket      string
	Base        Month
	Commodities []string // sorted
}

func (e *MissingBaseError) Error() string {
	quoted := make([]string, len(e.Commodities))
	for i, c := range e.Commodities {
		quoted[i] = fmt.Sprintf("%q", c)
	}
	noun := "commodity"
	if len(quoted) > 1 {
		noun = "commodities"
	}
	return fmt.Sprintf("index: basket %q: no price in base period %s for %s %s: a commodity without a base-period price cannot be in the index",
		e.Basket, e.Base, noun, strings.Join(quoted, ", "))
}

// ErrNoBasePrice matches a *MissingBaseError with errors.Is.
var ErrNoBasePrice = errors.New("index: no base-period price")

// Is makes errors.Is(err, ErrNoBasePrice) true for a *MissingBaseError.
func (e *MissingBaseError) Is(target error) bool { return target == ErrNoBasePrice }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
