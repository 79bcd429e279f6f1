package index

import (
	"math"
	"slices"
	"testing"
)

// tol is the agreement asked of exact arithmetic on index-sized numbers.
const tol = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

// ptr marks an expected percentage; nil in a want means "must be nil".
func ptr(v float64) *float64 { return &v }

func checkPct(t *testing.T, what string, m Month, got, want *float64) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s %s = %.12g, want nil", m, what, *got)
	case want != nil && got == nil:
		t.Errorf("%s %s = nil, want %.12g", m, what, *want)
	case want != nil && !near(*got, *want):
		t.Errorf("%s %s = %.12g, want %.12g", m, what, *got, *want)
	}
}

func andilSum(p Period) float64 {
	var s float64
	for _, c := range p.Andil {
		s += c.Value
	}
	return s
}

// computeBoth runs the chained and the fixed-base forms, checks that they
// agree and returns the chained result.
func computeBoth(t *testing.T, b Basket, p Prices, from, to Month) []Period {
	t.Helper()
	ch, err := Compute(b, p, from, to)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	fb, err := ComputeFixedBase(b, p, from, to)
	if err != nil {
		t.Fatalf("ComputeFixedBase: %v", err)
	}
	if len(ch) != len(fb) {
		t.Fatalf("chained gives %d periods, fixed base %d", len(ch), len(fb))
	}
	for i := range ch {
		c, f := ch[i], fb[i]
		if c.Month != f.Month || !near(c.Index, f.Index) {
			t.Errorf("chained %s = %.12g, fixed base %s = %.12g", c.Month, c.Index, f.Month, f.Index)
		}
		checkPct(t, "MtM chained vs fixed", c.Month, c.MtM, f.MtM)
		checkPct(t, "YoY chained vs fixed", c.Month, c.YoY, f.YoY)
		checkPct(t, "YtD chained vs fixed", c.Month, c.YtD, f.YtD)
		for g, v := range c.Groups {
			if !near(v, f.Groups[g]) {
				t.Errorf("%s group %s: chained %.12g, fixed base %.12g", c.Month, g, v, f.Groups[g])
			}
		}
		if !slices.Equal(c.Carried, f.Carried) {
			t.Errorf("%s carried: chained %v, fixed base %v", c.Month, c.Carried, f.Carried)
		}
		for j := range c.Andil {
			if c.Andil[j].Commodity != f.Andil[j].Commodity || !near(c.Andil[j].Value, f.Andil[j].Value) {
				t.Errorf("%s andil: chained %v, fixed base %v", c.Month, c.Andil[j], f.Andil[j])
			}
		}
		// The andil add up to the headline month-to-month inflation.
		if c.MtM != nil && !near(andilSum(c), *c.MtM) {
			t.Errorf("%s: Σ andil = %.15g, MtM = %.15g", c.Month, andilSum(c), *c.MtM)
		}
		if (c.MtM == nil) != (c.Andil == nil) {
			t.Errorf("%s: MtM %v but andil %v", c.Month, c.MtM, c.Andil)
		}
	}
	return ch
}

// A hand-checked basket: three commodities, three months, base 2024-01.
//
// Weights (base-period values) A 50, B 30, C 20, Σw = 100.
//
//	            A       B       C
//	2024-01  10000   20000    5000   base
//	2024-02  11000   20000    4000   relatives 1.10, 1.00, 0.80
//	2024-03  12100   22000    5000   relatives to base 1.21, 1.10, 1.00
//
// V_n,i = w_i·P_n,i/P_0,i:
//
//	2024-01  50    30    20    Σ 100    I = 100
//	2024-02  55    30    16    Σ 101    I = 101
//	2024-03  60.5  33    20    Σ 113.5  I = 113.5
//
// 2024-02: MtM = (101 − 100)/100 × 100 = 1
// andil A = (55 − 50)/100 × 100 = 5, B = 0, C = (16 − 20)/100 × 100 = −4;
// 5 + 0 − 4 = 1.
// 2024-03: MtM = (113.5 − 101)/101 × 100 = 1250/101 = 12.376237623…
// andil A = 5.5/101 × 100 = 550/101, B = 3/101 × 100 = 300/101,
// C = 4/101 × 100 = 400/101; sum 1250/101.
//
// Groups: A, B in 01 (Σw 80), C in 03 (Σw 20).
// 2024-02: 01 = (55 + 30)/80 × 100 = 106.25, 03 = 16/20 × 100 = 80.
// 2024-03: 01 = (60.5 + 33)/80 × 100 = 116.875, 03 = 20/20 × 100 = 100.
func TestComputeHandChecked(t *testing.T) {
	b := Basket{
		Name:    "hand",
		Base:    month("2024-01"),
		Weights: map[string]float64{"A": 50, "B": 30, "C": 20},
		Groups:  map[string]string{"A": "01", "B": "01", "C": "03"},
	}
	p := Prices{
		month("2024-01"): {"A": 10000, "B": 20000, "C": 5000},
		month("2024-02"): {"A": 11000, "B": 20000, "C": 4000},
		month("2024-03"): {"A": 12100, "B": 22000, "C": 5000},
	}
	want := []struct {
		month  string
		index  float64
		mtm    *float64
		andil  []float64 // A, B, C
		groups map[string]float64
	}{
		{"2024-01", 100, nil, nil, map[string]float64{"01": 100, "03": 100}},
		{"2024-02", 101, ptr(1), []float64{5, 0, -4}, map[string]float64{"01": 106.25, "03": 80}},
		{"2024-03", 113.5, ptr(1250.0 / 101), []float64{550.0 / 101, 300.0 / 101, 400.0 / 101}, map[string]float64{"01": 116.875, "03": 100}},
	}

	got := computeBoth(t, b, p, month("2024-01"), month("2024-03"))
	if len(got) != len(want) {
		t.Fatalf("got %d periods, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Month != month(w.month) {
			t.Fatalf("period %d is %s, want %s", i, g.Month, w.month)
		}
		if !near(g.Index, w.index) {
			t.Errorf("%s index = %.12g, want %.12g", g.Month, g.Index, w.index)
		}
		checkPct(t, "MtM", g.Month, g.MtM, w.mtm)
		checkPct(t, "YoY", g.Month, g.YoY, nil)
		checkPct(t, "YtD", g.Month, g.YtD, nil)
		if len(g.Andil) != len(w.andil) {
			t.Fatalf("%s: %d andil, want %d", g.Month, len(g.Andil), len(w.andil))
		}
		for j, code := range []string{"A", "B", "C"}[:len(w.andil)] {
			if g.Andil[j].Commodity != code || !near(g.Andil[j].Value, w.andil[j]) {
				t.Errorf("%s andil[%d] = %+v, want %s %.12g", g.Month, j, g.Andil[j], code, w.andil[j])
			}
		}
		if len(g.Groups) != len(w.groups) {
			t.Errorf("%s groups = %v, want %v", g.Month, g.Groups, w.groups)
		}
		for code, v := range w.groups {
			if !near(g.Groups[code], v) {
				t.Errorf("%s group %s = %.12g, want %.12g", g.Month, code, g.Groups[code], v)
			}
		}
		if g.Carried != nil {
			t.Errorf("%s carried = %v, want none", g.Month, g.Carried)
		}
	}
}

// The artificial data set of the ILO/IMF Consumer Price Index Manual (2004)
// and Producer Price Index Manual, chapter 19, tables 19.1 (prices) and
// 19.2 (quantities); also Balk (2008), Price and Quantity Index Numbers,
// tables 3.1–3.2. Six commodities, all priced 1 in period 1, so the base
// value w_i = P_1,i·Q_1,i is the period-1 quantity:
//
//	q1 = 1, 1, 2, 1, 4.5, 0.5   Σ P_1·Q_1 = 10
//
//	period   p1   p2   p3   p4   p5   p6   Σ P_t·Q_1        fixed-base Laspeyres
//	1       1.0  1.0  1.0  1.0  1.0  1.0   10                1.0000
//	2       1.2  3.0  1.3  0.7  1.4  0.8   1.2+3+2.6+0.7+6.3+0.4   = 14.20  1.4200
//	3       1.0  1.0  1.5  0.5  1.7  0.6   1+1+3+0.5+7.65+0.3      = 13.45  1.3450
//	4       0.8  0.5  1.6  0.3  1.9  0.4   0.8+0.5+3.2+0.3+8.55+0.2 = 13.55 1.3550
//	5       1.0  1.0  1.6  0.1  2.0  0.2   1+1+3.2+0.1+9+0.1       = 14.40  1.4400
//
// (the manual's table 19.3 fixed-base Laspeyres column), so with base = 100
// the index is 100, 142.00, 134.50, 135.50, 144.00. The periods are mapped
// to the months 2024-01 … 2024-05.
func TestComputeTextbookLaspeyres(t *testing.T) {
	codes := []string{"p1", "p2", "p3", "p4", "p5", "p6"}
	q1 := []float64{1, 1, 2, 1, 4.5, 0.5}
	prices := [][]float64{
		{1.0, 1.0, 1.0, 1.0, 1.0, 1.0},
		{1.2, 3.0, 1.3, 0.7, 1.4, 0.8},
		{1.0, 1.0, 1.5, 0.5, 1.7, 0.6},
		{0.8, 0.5, 1.6, 0.3, 1.9, 0.4},
		{1.0, 1.0, 1.6, 0.1, 2.0, 0.2},
	}
	want := []float64{100, 142.00, 134.50, 135.50, 144.00}

	b := Basket{Name: "CPI Manual ch. 19", Base: month("2024-01"), Weights: map[string]float64{}}
	for i, c := range codes {
		b.Weights[c] = prices[0][i] * q1[i]
	}
	p := Prices{}
	for period, row := range prices {
		m := b.Base.AddMonths(period)
		p[m] = map[string]float64{}
		for i, c := range codes {
			p[m][c] = row[i]
		}
	}

	got := computeBoth(t, b, p, b.Base, b.Base.AddMonths(4))
	if len(got) != len(want) {
		t.Fatalf("got %d periods, want %d", len(got), len(want))
	}
	for i, g := range got {
		if !near(g.Index, want[i]) {
			t.Errorf("period %d (%s): index %.12g, want %.2f", i+1, g.Month, g.Index, want[i])
		}
	}
	// Month-to-month from the table: 142/100 − 1 = 42 %, 134.5/142 − 1 =
	// −5.2816901408…%, 135.5/134.5 − 1 = 0.7434944237…%, 144/135.5 − 1 =
	// 6.2730627306…%.
	wantMtM := []*float64{nil, ptr(42), ptr((134.5 - 142) / 142 * 100), ptr((135.5 - 134.5) / 134.5 * 100), ptr((144 - 135.5) / 135.5 * 100)}
	for i, g := range got {
		checkPct(t, "MtM", g.Month, g.MtM, wantMtM[i])
	}
	// Period 2 andil: (P_2 − P_1)·Q_1 / 10 × 100, e.g. p2: (3 − 1)·1/10 × 100 = 20.
	wantAndil2 := []float64{2, 20, 6, -3, 18, -1}
	for i, c := range got[1].Andil {
		if c.Commodity != codes[i] || !near(c.Value, wantAndil2[i]) {
			t.Errorf("period 2 andil %d = %+v, want %s %v", i, c, codes[i], wantAndil2[i])
		}
	}
}
