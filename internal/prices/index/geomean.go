package index

import (
	"errors"
	"fmt"
	"math"
)

// GeoMean returns the geometric mean of prices, computed as the exponential
// of the mean of their logarithms (BPS takes a commodity's monthly price as
// the geometric mean of all its observations, DOMAIN.md §8). Logarithms keep
// the computation free of the overflow a product of thousands of rupiah
// prices would cause. A price that is not a finite positive number is
// refused: its logarithm does not exist, and silently dropping it would
// hide a data-entry error.
func GeoMean(prices []float64) (float64, error) {
	if len(prices) == 0 {
		return 0, errors.New("index: geometric mean of no prices")
	}
	var acc LogAccumulator
	for i, p := range prices {
		if !validPrice(p) {
			return 0, fmt.Errorf("index: price #%d is %v: prices must be finite and positive", i, p)
		}
		acc.Add(p)
	}
	g, _ := acc.Mean()
	return g, nil
}

// validPrice reports whether p can enter a geometric mean or a price
// relative: finite and strictly positive (NaN fails p > 0).
func validPrice(p float64) bool {
	return p > 0 && !math.IsInf(p, 1)
}

// LogAccumulator computes a geometric mean in one streaming pass: it keeps
// the sum of the logarithms and the count, never the observations, so a
// month of millions of market, trader and day observations costs a few
// words of memory. Accumulators for parts of the data (one per market, one
// per worker) combine with Merge into exactly the accumulator of the whole,
// because a sum of logs is associative.
//
// The zero value is an empty accumulator ready to use. It is not safe for
// concurrent use: give each goroutine its own and Merge them.
type LogAccumulator struct {
	// sum + comp is the sum of logs; comp holds the low-order bits that
	// plain float64 addition would lose (Neumaier summation), so the mean
	// of ten million logs stays accurate to the last few bits rather than
	// drifting by n·ε.
	sum, comp float64
	n         int64
	rejected  int64
	// min and max pin the result: the geometric mean of equal prices is
	// that price exactly, and rounding in exp(log(p)) cannot push the mean
	// outside the observed range.
	min, max float64
}

// Add adds one observation. A price that is not finite and positive is not
// added but counted in Rejected: the streaming caller checks Rejected once
// at the end instead of an error per observation.
func (a *LogAccumulator) Add(p float64) {
	if !validPrice(p) {
		a.rejected++
		return
	}
	a.addLog(math.Log(p))
	if a.n == 0 {
		a.min, a.max = p, p
	} else {
		a.min = min(a.min, p)
		a.max = max(a.max, p)
	}
	a.n++
}

// addLog adds x to sum with Neumaier's compensated summation.
func (a *LogAccumulator) addLog(x float64) {
	t := a.sum + x
	if math.Abs(a.sum) >= math.Abs(x) {
		a.comp += (a.sum - t) + x
	} else {
		a.comp += (x - t) + a.sum
	}
	a.sum = t
}

// Merge adds all observations of o to a, as if they had been added one by
// one (up to rounding in the last bits).
func (a *LogAccumulator) Merge(o LogAccumulator) {
	a.rejected += o.rejected
	if o.n == 0 {
		return
	}
	if a.n == 0 {
		a.min, a.max = o.min, o.max
	} else {
		a.min = min(a.min, o.min)
		a.max = max(a.max, o.max)
	}
	a.addLog(o.sum)
	a.comp += o.comp
	a.n += o.n
}

// Mean returns the geometric mean of the observations added so far, and
// false if there are none.
func (a LogAccumulator) Mean() (float64, bool) {
	if a.n == 0 {
		return 0, false
	}
	if a.min == a.max {
		return a.min, true
	}
	g := math.Exp((a.sum + a.comp) / float64(a.n))
	return min(max(g, a.min), a.max), true
}

// Count returns the number of observations added.
func (a LogAccumulator) Count() int64 { return a.n }

// Rejected returns the number of observations refused by Add because they
// were not finite positive prices.
func (a LogAccumulator) Rejected() int64 { return a.rejected }
