package index

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// fuzzBytes hands out bytes of the fuzz input, then a fixed pattern once
// the input runs out, so every input decodes to a complete case.
type fuzzBytes struct {
	data []byte
	i    int
}

func (f *fuzzBytes) next() byte {
	defer func() { f.i++ }()
	if f.i < len(f.data) {
		return f.data[f.i]
	}
	return byte(f.i * 37)
}

// positive maps a byte to a positive number spread over e^±(128/scale).
func (f *fuzzBytes) positive(scale float64) float64 {
	return math.Exp((float64(f.next()) - 128) / scale)
}

// decodeCase builds a basket of 1–8 commodities over 1–30 months from
// base 2023-11 (so series cross year ends), with some prices missing
// (carry forward) and some months empty; the base month is always complete.
func decodeCase(data []byte) (Basket, Prices, Month, Month) {
	f := &fuzzBytes{data: data}
	k := 1 + int(f.next()%8)
	months := 1 + int(f.next()%30)
	b := Basket{Name: "fuzz", Base: Month{2023, 11}, Weights: map[string]float64{}, Groups: map[string]string{}}
	codes := make([]string, k)
	for i := range codes {
		codes[i] = fmt.Sprintf("c%d", i)
		b.Weights[codes[i]] = f.positive(16) // e^±8
		if g := f.next() % 4; g > 0 {
			b.Groups[codes[i]] = fmt.Sprintf("%02d", g)
		}
	}
	p := Prices{}
	for n := range months {
		m := b.Base.AddMonths(n)
		if n > 0 && f.next()%9 == 0 {
			continue // no data this month
		}
		p[m] = map[string]float64{}
		for _, c := range codes {
			if n > 0 && f.next()%5 == 0 {
				continue // carried forward
			}
			p[m][c] = f.positive(8) // e^±16, ≈ 1e-7 … 9e6
		}
	}
	from := b.Base.AddMonths(int(f.next()) % months)
	return b, p, from, b.Base.AddMonths(months - 1)
}

func FuzzCompute(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 2, 128, 1, 128, 2, 128, 128, 136, 120})
	f.Add([]byte{7, 29, 0, 0, 255, 3, 10, 1, 200, 2})
	f.Add([]byte{0, 13, 128, 0, 128, 0, 128, 0, 128, 0, 128})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, p, from, to := decodeCase(data)
		ch, err := Compute(b, p, from, to)
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		fb, err := ComputeFixedBase(b, p, from, to)
		if err != nil {
			t.Fatalf("ComputeFixedBase: %v", err)
		}
		if len(ch) != len(fb) {
			t.Fatalf("chained %d periods, fixed base %d", len(ch), len(fb))
		}
		for i, c := range ch {
			x := fb[i]
			if c.Month != x.Month || !slices.Equal(c.Carried, x.Carried) {
				t.Fatalf("chained %s carried %v; fixed base %s carried %v", c.Month, c.Carried, x.Month, x.Carried)
			}
			if !(c.Index > 0) || math.IsInf(c.Index, 0) {
				t.Fatalf("%s index %v", c.Month, c.Index)
			}
			if !relNear(c.Index, x.Index, 1e-9) {
				t.Errorf("%s index: chained %.17g, fixed base %.17g", c.Month, c.Index, x.Index)
			}
			for g, v := range c.Groups {
				if !(v > 0) || math.IsInf(v, 0) || !relNear(v, x.Groups[g], 1e-9) {
					t.Errorf("%s group %s: chained %v, fixed base %v", c.Month, g, v, x.Groups[g])
				}
			}
			if (c.MtM == nil) != (x.MtM == nil) || (c.YoY == nil) != (x.YoY == nil) || (c.YtD == nil) != (x.YtD == nil) {
				t.Fatalf("%s: chained and fixed base disagree on which comparisons exist", c.Month)
			}
			for _, per := range []Period{c, x} {
				if per.MtM == nil {
					if per.Andil != nil {
						t.Errorf("%s: andil without MtM", per.Month)
					}
					continue
				}
				var sum, abs float64
				for _, a := range per.Andil {
					sum += a.Value
					abs += math.Abs(a.Value)
				}
				// Relative to the size of the terms: contributions of
				// opposite signs may cancel to a headline near zero.
				if math.Abs(sum-*per.MtM) > 1e-6*(abs+math.Abs(*per.MtM))+1e-12 {
					t.Errorf("%s: Σ andil %.17g, MtM %.17g", per.Month, sum, *per.MtM)
				}
			}
			if c.MtM != nil {
				// MtM is 100·(I_n/I_n−1 − 1): compare it at the scale of
				// 100·I_n/I_n−1 = 100 + MtM, since a headline near zero
				// comes from two nearly equal indices.
				if math.Abs(*c.MtM-*x.MtM) > 1e-9*(100+math.Abs(*c.MtM)) {
					t.Errorf("%s MtM: chained %.17g, fixed base %.17g", c.Month, *c.MtM, *x.MtM)
				}
			}
		}
	})
}

func relNear(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}
