package index

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestGeoMean(t *testing.T) {
	tests := []struct {
		name   string
		prices []float64
		want   float64
		ok     bool
	}{
		{"one price is itself, exactly", []float64{15269}, 15269, true},
		{"equal prices give that price, exactly", []float64{13423, 13423, 13423}, 13423, true},
		{"sqrt(4·9) = 6", []float64{4, 9}, 6, true},
		{"cbrt(1·10·100) = 10", []float64{1, 10, 100}, 10, true},
		{"sqrt(12000·13500) = 12727.92…", []float64{12000, 13500}, math.Sqrt(12000 * 13500), true},
		{"below the arithmetic mean", []float64{10000, 40000}, 20000, true},
		{"empty", nil, 0, false},
		{"zero", []float64{10, 0}, 0, false},
		{"negative", []float64{10, -5}, 0, false},
		{"NaN", []float64{math.NaN()}, 0, false},
		{"+Inf", []float64{10, math.Inf(1)}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GeoMean(tt.prices)
			if (err == nil) != tt.ok {
				t.Fatalf("GeoMean(%v) error = %v, want ok = %v", tt.prices, err, tt.ok)
			}
			if !tt.ok {
				return
			}
			if math.Abs(got-tt.want) > 1e-12*tt.want {
				t.Errorf("GeoMean(%v) = %.15g, want %.15g", tt.prices, got, tt.want)
			}
		})
	}
}

func TestLogAccumulatorEmpty(t *testing.T) {
	var a LogAccumulator
	if g, ok := a.Mean(); ok || g != 0 {
		t.Errorf("empty Mean() = %v, %v; want 0, false", g, ok)
	}
	a.Add(0)
	a.Add(-3)
	a.Add(math.NaN())
	if _, ok := a.Mean(); ok {
		t.Error("Mean() ok after only rejected observations")
	}
	if a.Count() != 0 || a.Rejected() != 3 {
		t.Errorf("Count, Rejected = %d, %d; want 0, 3", a.Count(), a.Rejected())
	}
}

// Per-market partial accumulators merged into a city accumulator must give
// the geometric mean of all observations together.
func TestLogAccumulatorMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	markets := make([][]float64, 7)
	var all []float64
	for i := range markets {
		for range 1 + rng.IntN(500) {
			p := 10000 + rng.Float64()*40000
			markets[i] = append(markets[i], p)
			all = append(all, p)
		}
	}
	want, err := GeoMean(all)
	if err != nil {
		t.Fatal(err)
	}

	var city LogAccumulator
	city.Merge(LogAccumulator{}) // merging an empty partial changes nothing
	for _, obs := range markets {
		var m LogAccumulator
		for _, p := range obs {
			m.Add(p)
		}
		m.Add(-1) // a bad entry in each market
		city.Merge(m)
	}
	got, ok := city.Mean()
	if !ok {
		t.Fatal("merged Mean() not ok")
	}
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("merged mean = %.15g, want %.15g", got, want)
	}
	if city.Count() != int64(len(all)) || city.Rejected() != int64(len(markets)) {
		t.Errorf("Count, Rejected = %d, %d; want %d, %d", city.Count(), city.Rejected(), len(all), len(markets))
	}
}

// Ten million observations alternating 2 and 8 have geometric mean 4. With
// plain summation the sum of logs drifts by up to n·ε; compensated
// summation keeps the mean at the last bits.
func TestLogAccumulatorLongStream(t *testing.T) {
	if testing.Short() {
		t.Skip("10 million observations")
	}
	var a LogAccumulator
	for i := range 10_000_000 {
		if i%2 == 0 {
			a.Add(2)
		} else {
			a.Add(8)
		}
	}
	got, _ := a.Mean()
	if math.Abs(got-4) > 4e-15 {
		t.Errorf("mean of 10M alternating 2 and 8 = %.17g, want 4", got)
	}
}

func BenchmarkLogAccumulator(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	prices := make([]float64, 1<<16)
	for i := range prices {
		prices[i] = 5000 + rng.Float64()*100000
	}
	var a LogAccumulator
	for b.Loop() {
		for _, p := range prices {
			a.Add(p)
		}
	}
	if _, ok := a.Mean(); !ok {
		b.Fatal("no mean")
	}
	b.ReportMetric(float64(a.Count())/b.Elapsed().Seconds(), "obs/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(a.Count()), "ns/obs")
}
