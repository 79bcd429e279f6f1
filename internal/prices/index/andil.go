package index

// Contribution is a commodity's andil: how many percentage points of the
// month-to-month inflation it accounts for. The andil of all commodities in
// the basket add up to the headline month-to-month inflation, which is why
// BPS releases explain inflation with them ("cabai rawit contributed 0.12
// points").
type Contribution struct {
	Commodity string
	Value     float64
}

// contributions returns the andil of each commodity, in codes order.
//
// With V_n,i = w_i·P_n,i/P_0,i (the current value of commodity i's base
// quantity) the DOMAIN.md §8 formula
//
//	w_i·(P_n,i/P_0,i − P_n−1,i/P_0,i) / Σ_j w_j·(P_n−1,j/P_0,j) × 100
//
// is (V_n,i − V_n−1,i) / Σ_j V_n−1,j × 100. The values come from the same
// computation as the index (chained or fixed base), so the andil add up to
// that computation's month-to-month inflation up to rounding in the last
// bits, rather than to a separately computed number.
func contributions(codes []string, prev, cur []float64, prevTotal float64) []Contribution {
	out := make([]Contribution, len(codes))
	scale := 100 / prevTotal
	for i, code := range codes {
		out[i] = Contribution{Commodity: code, Value: (cur[i] - prev[i]) * scale}
	}
	return out
}
