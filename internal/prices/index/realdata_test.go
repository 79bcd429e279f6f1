package index

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// loadKupang reads testdata/kota_kupang_2024-01_2025-08.csv (Panel Harga,
// Kota Kupang, 20 foods, monthly) into Prices keyed by commodity name.
func loadKupang(t *testing.T) Prices {
	t.Helper()
	f, err := os.Open("testdata/kota_kupang_2024-01_2025-08.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// periode,tahun,bulan,kab_kota,provinsi,komoditas,harga_rp,latitude,longitude
	p := Prices{}
	for _, r := range rows[1:] {
		if r[3] != "Kota Kupang" {
			t.Fatalf("row for %q in the Kota Kupang file", r[3])
		}
		m, err := ParseMonth(r[0][:7])
		if err != nil {
			t.Fatal(err)
		}
		price, err := strconv.ParseFloat(r[6], 64)
		if err != nil {
			t.Fatal(err)
		}
		if p[m] == nil {
			p[m] = map[string]float64{}
		}
		p[m][r[5]] = price
	}
	return p
}

func TestKupangPanelHarga(t *testing.T) {
	p := loadKupang(t)
	base, last := month("2024-01"), month("2025-08")
	if len(p) != 20 || len(p[base]) != 20 {
		t.Fatalf("loaded %d months, %d commodities in the base; want 20 and 20", len(p), len(p[base]))
	}

	equal := map[string]float64{}
	byBasePrice := map[string]float64{} // Q_0 = 1 of each: w_i = P_0,i
	groups := map[string]string{}
	for c, price := range p[base] {
		equal[c] = 1
		byBasePrice[c] = price
		groups[c] = "01" // all food
	}
	for _, b := range []Basket{
		{Name: "equal weights", Base: base, Weights: equal, Groups: groups},
		{Name: "one unit of each", Base: base, Weights: byBasePrice, Groups: groups},
	} {
		t.Run(b.Name, func(t *testing.T) {
			got := computeBoth(t, b, p, base, last)
			if len(got) != 20 {
				t.Fatalf("%d periods, want 20", len(got))
			}
			if got[0].Index != 100 {
				t.Errorf("base index = %v, want 100", got[0].Index)
			}
			for i, g := range got {
				if g.Month != base.AddMonths(i) {
					t.Fatalf("period %d is %s", i, g.Month)
				}
				if math.IsNaN(g.Index) || math.IsInf(g.Index, 0) || g.Index <= 0 {
					t.Errorf("%s index %v", g.Month, g.Index)
				}
				// Every commodity is observed every month in this file.
				if g.Carried != nil {
					t.Errorf("%s carried %v", g.Month, g.Carried)
				}
				if i > 0 && (g.MtM == nil || len(g.Andil) != 20) {
					t.Errorf("%s: MtM %v, %d andil", g.Month, g.MtM, len(g.Andil))
				}
				if (g.YoY != nil) != (i >= 12) || (g.YtD != nil) != (g.Month.Year == 2025) {
					t.Errorf("%s: YoY %v, YtD %v", g.Month, g.YoY, g.YtD)
				}
				// With every commodity in group 01, the group is the headline.
				if !near(g.Groups["01"], g.Index) {
					t.Errorf("%s group 01 = %v, headline %v", g.Month, g.Groups["01"], g.Index)
				}
			}
		})
	}
}

// The same data through LogAccumulator: one observation per month gives
// that observation back exactly, so the index is unchanged.
func TestKupangThroughAccumulator(t *testing.T) {
	p := loadKupang(t)
	acc := map[Month]map[string]*LogAccumulator{}
	for m, cs := range p {
		acc[m] = map[string]*LogAccumulator{}
		for c, price := range cs {
			a := &LogAccumulator{}
			a.Add(price)
			acc[m][c] = a
		}
	}
	rebuilt := Prices{}
	for m, cs := range acc {
		rebuilt[m] = map[string]float64{}
		for c, a := range cs {
			rebuilt[m][c], _ = a.Mean()
		}
	}
	w := map[string]float64{}
	for c := range p[month("2024-01")] {
		w[c] = 1
	}
	b := Basket{Name: "k", Base: month("2024-01"), Weights: w}
	want, err := Compute(b, p, month("2024-01"), month("2025-08"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Compute(b, rebuilt, month("2024-01"), month("2025-08"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].Index != want[i].Index {
			t.Errorf("%s: %v through the accumulator, %v direct", want[i].Month, got[i].Index, want[i].Index)
		}
	}
}
