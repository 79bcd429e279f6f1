package index

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Prices holds the monthly price of each commodity: month → commodity code
// → price, each already the geometric mean of the month's observations.
// Commodities outside the basket are ignored, so one Prices can serve
// several baskets.
type Prices map[Month]map[string]float64

// Period is the index of one month and what BPS publishes with it.
// Percentages are not rounded; rounding is for display.
type Period struct {
	Month Month
	// Index is the headline index, 100 in the base period.
	Index float64
	// MtM, YoY and YtD are inflation in percent against the previous
	// month, the same month a year earlier and December of the previous
	// year. Each is nil when that comparison month has no index: it is
	// before the base period or has no observations (see Compute).
	MtM, YoY, YtD *float64
	// Andil is each basket commodity's contribution to MtM in percentage
	// points, sorted by commodity code; nil when MtM is nil.
	Andil []Contribution
	// Groups maps an expenditure group code to that group's index; nil when
	// the basket has no groups.
	Groups map[string]float64
	// Carried lists, sorted, the commodities that had no observation this
	// month and entered it at their last known price.
	Carried []string
}

// Compute returns the index of every month from from to to, inclusive, that
// has at least one observation of a basket commodity, using the chained
// form of the modified Laspeyres index, as BPS does.
//
// The index is built month by month from the basket's base period, so from
// must not be before it. A month with no observation of any basket
// commodity has no index and is left out of the result: carrying every
// price forward would publish a made-up 0 % inflation. Later months are
// still computed (their commodities carry their prices across the gap), but
// comparisons with the empty month are nil.
//
// The base period must have a price for every basket commodity; otherwise
// Compute returns a *MissingBaseError naming them.
func Compute(b Basket, p Prices, from, to Month) ([]Period, error) {
	return compute(b, p, from, to, chained)
}

// ComputeFixedBase is Compute with the fixed-base form of the index,
// Σ w_i·(P_n,i/P_0,i) / Σ w_i × 100. It gives the same numbers as the
// chain; it exists as an independent check of Compute, for instance when
// auditing a published series.
func ComputeFixedBase(b Basket, p Prices, from, to Month) ([]Period, error) {
	return compute(b, p, from, to, fixedBase)
}

type method int

const (
	chained method = iota
	fixedBase
)

// groupCalc is one expenditure group: its members' positions in the sorted
// commodity list and the sum of their weights.
type groupCalc struct {
	code    string
	members []int
	weight  float64
}

func compute(b Basket, p Prices, from, to Month, how method) ([]Period, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if !from.Valid() || !to.Valid() {
		return nil, fmt.Errorf("index: invalid period %d-%d to %d-%d", from.Year, int(from.Month), to.Year, int(to.Month))
	}
	if to.Before(from) {
		return nil, fmt.Errorf("index: period %s to %s ends before it starts", from, to)
	}
	if from.Before(b.Base) {
		return nil, fmt.Errorf("index: basket %q: %s is before the base period %s, where the index starts", b.Name, from, b.Base)
	}

	// Commodities are numbered in code order once, so the monthly loop
	// works on slices and the andil come out sorted.
	codes := sortedKeys(b.Weights)
	k := len(codes)
	w := make([]float64, k)
	var totalW float64
	for i, c := range codes {
		w[i] = b.Weights[c]
		totalW += w[i]
	}

	base := p[b.Base]
	p0 := make([]float64, k)
	var missing []string
	for i, c := range codes {
		price, ok := base[c]
		if !ok {
			missing = append(missing, c)
			continue
		}
		if !validPrice(price) {
			return nil, fmt.Errorf("index: %s: commodity %q has price %v: prices must be finite and positive", b.Base, c, price)
		}
		p0[i] = price
	}
	if len(missing) > 0 {
		return nil, &MissingBaseError{Basket: b.Name, Base: b.Base, Commodities: missing}
	}

	groups := groupsOf(b, codes, w)

	// V_n,i = w_i·P_n,i/P_0,i = P_n,i·Q_0,i, the current value of commodity
	// i's base quantity; the index is Σ V / Σ w × 100. prev and cur hold it
	// for the previous and the current month.
	last := slices.Clone(p0)
	prev := make([]float64, k)
	cur := slices.Clone(w)

	span := to.Sub(b.Base) + 1
	indices := make([]float64, span)
	hasIndex := make([]bool, span)
	out := make([]Period, 0, to.Sub(from)+1)
	carried := make([]int, 0, k)

	for n := range span {
		m := b.Base.AddMonths(n)
		carried = carried[:0]
		if n > 0 {
			prev, cur = cur, prev
			obs := p[m]
			for i, c := range codes {
				price, ok := obs[c]
				if !ok {
					// Carry forward: the price, and so the value, stay
					// as they were.
					carried = append(carried, i)
					cur[i] = prev[i]
					continue
				}
				if !validPrice(price) {
					return nil, fmt.Errorf("index: %s: commodity %q has price %v: prices must be finite and positive", m, c, price)
				}
				switch how {
				case chained:
					cur[i] = prev[i] * (price / last[i])
				case fixedBase:
					cur[i] = w[i] * (price / p0[i])
				}
				last[i] = price
			}
			if len(carried) == k {
				continue
			}
		}
		total := sum(cur)
		indices[n] = total / totalW * 100
		// Only absurd data (a price 1e300 times its base price) gets here,
		// but an infinite or zero index must not be published as a number.
		if !(indices[n] > 0) || math.IsInf(indices[n], 1) {
			return nil, fmt.Errorf("index: basket %q: %s: index %v is out of range: check the prices against the base period", b.Name, m, indices[n])
		}
		hasIndex[n] = true
		if m.Before(from) {
			continue
		}

		per := Period{Month: m, Index: indices[n]}
		per.MtM = change(indices, hasIndex, n, n-1)
		per.YoY = change(indices, hasIndex, n, n-12)
		per.YtD = change(indices, hasIndex, n, Month{Year: m.Year - 1, Month: time.December}.Sub(b.Base))
		if per.MtM != nil {
			per.Andil = contributions(codes, prev, cur, sum(prev))
		}
		if len(groups) > 0 {
			per.Groups = make(map[string]float64, len(groups))
			for _, g := range groups {
				var v float64
				for _, i := range g.members {
					v += cur[i]
				}
				per.Groups[g.code] = v / g.weight * 100
			}
		}
		if len(carried) > 0 {
			per.Carried = make([]string, len(carried))
			for j, i := range carried {
				per.Carried[j] = codes[i]
			}
		}
		out = append(out, per)
	}
	return out, nil
}

// change returns the percentage change of the index from month j to month
// n (both counted from the base period), or nil when month j has no index:
// before the base period (j < 0) or without observations.
func change(indices []float64, hasIndex []bool, n, j int) *float64 {
	if j < 0 || !hasIndex[j] {
		return nil
	}
	v := (indices[n] - indices[j]) / indices[j] * 100
	return &v
}

// groupsOf numbers the basket's expenditure groups in code order.
func groupsOf(b Basket, codes []string, w []float64) []groupCalc {
	if len(b.Groups) == 0 {
		return nil
	}
	byCode := make(map[string]*groupCalc)
	var order []string
	for i, c := range codes {
		gc, ok := b.Groups[c]
		if !ok {
			continue
		}
		g := byCode[gc]
		if g == nil {
			g = &groupCalc{code: gc}
			byCode[gc] = g
			order = append(order, gc)
		}
		g.members = append(g.members, i)
		g.weight += w[i]
	}
	slices.Sort(order)
	out := make([]groupCalc, len(order))
	for i, gc := range order {
		out[i] = *byCode[gc]
	}
	return out
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}
