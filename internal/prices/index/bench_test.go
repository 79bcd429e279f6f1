package index

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchData is a Kupang-sized series: 80 commodities in 11 groups over ten
// years, prices drifting a few percent a month, one observation in fifty
// missing (carried forward).
func benchData() (Basket, Prices) {
	const k, months = 80, 120
	rng := rand.New(rand.NewPCG(5, 6))
	b := Basket{Name: "bench", Base: month("2016-01"), Weights: map[string]float64{}, Groups: map[string]string{}}
	codes := make([]string, k)
	price := make([]float64, k)
	for i := range codes {
		codes[i] = fmt.Sprintf("K%03d", i)
		b.Weights[codes[i]] = 1 + rng.Float64()*99
		b.Groups[codes[i]] = fmt.Sprintf("%02d", 1+i%11)
		price[i] = 1000 + rng.Float64()*100000
	}
	p := Prices{}
	for n := range months {
		m := b.Base.AddMonths(n)
		p[m] = make(map[string]float64, k)
		for i, c := range codes {
			price[i] *= 0.97 + rng.Float64()*0.065
			if n == 0 || rng.IntN(50) != 0 {
				p[m][c] = price[i]
			}
		}
	}
	return b, p
}

// BenchmarkCompute10Years80Commodities measures the whole series (every
// month published) and the case the prices module meets each month:
// recomputing only the newest month, which still walks the chain from the
// base.
func BenchmarkCompute10Years80Commodities(b *testing.B) {
	basket, p := benchData()
	first, last := basket.Base, basket.Base.AddMonths(119)
	for _, bm := range []struct {
		name string
		from Month
		f    func(Basket, Prices, Month, Month) ([]Period, error)
	}{
		{"chained/all-months", first, Compute},
		{"chained/last-month", last, Compute},
		{"fixed-base/all-months", first, ComputeFixedBase},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bm.f(basket, p, bm.from, last); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
