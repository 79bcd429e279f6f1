package index

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Two commodities, A (w 60) and B (w 40); base 2024-01 A 1000, B 500.
//
//	         A     B       V_A   V_B   I
//	2024-01  1000  500     60    40    100
//	2024-02  1100  600     66    48    114
//	2024-03  1210  —       72.6  48    120.6   B carried at 600
//	2024-04  1210  450     72.6  36    108.6   B's relative is 450/600
//
// 2024-03: MtM = 6.6/114 × 100; andil A = 6.6/114 × 100, B = 0.
// 2024-04: MtM = −12/120.6 × 100; andil A = 0, B = −12/120.6 × 100.
func TestCarryForward(t *testing.T) {
	b := Basket{Name: "carry", Base: month("2024-01"), Weights: map[string]float64{"A": 60, "B": 40}}
	p := Prices{
		month("2024-01"): {"A": 1000, "B": 500},
		month("2024-02"): {"A": 1100, "B": 600},
		month("2024-03"): {"A": 1210},
		month("2024-04"): {"A": 1210, "B": 450},
	}
	got := computeBoth(t, b, p, month("2024-01"), month("2024-04"))
	want := []struct {
		index   float64
		mtm     *float64
		andil   []float64
		carried []string
	}{
		{100, nil, nil, nil},
		{114, ptr(14), []float64{6, 8}, nil},
		{120.6, ptr(6.6 / 114 * 100), []float64{6.6 / 114 * 100, 0}, []string{"B"}},
		{108.6, ptr(-12 / 120.6 * 100), []float64{0, -12 / 120.6 * 100}, nil},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d periods, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if !near(g.Index, w.index) {
			t.Errorf("%s index = %.12g, want %.12g", g.Month, g.Index, w.index)
		}
		checkPct(t, "MtM", g.Month, g.MtM, w.mtm)
		for j, v := range w.andil {
			if !near(g.Andil[j].Value, v) {
				t.Errorf("%s andil %s = %.12g, want %.12g", g.Month, g.Andil[j].Commodity, g.Andil[j].Value, v)
			}
		}
		if !slices.Equal(g.Carried, w.carried) {
			t.Errorf("%s carried = %v, want %v", g.Month, g.Carried, w.carried)
		}
	}

	// Carrying forward is the same as observing the last price again; only
	// the Carried mark differs.
	p[month("2024-03")]["B"] = 600
	again := computeBoth(t, b, p, month("2024-03"), month("2024-03"))
	if !near(again[0].Index, got[2].Index) || again[0].Carried != nil {
		t.Errorf("observed last price: index %.12g carried %v; carried: index %.12g", again[0].Index, again[0].Carried, got[2].Index)
	}

	// A commodity missing for several months carries its base price, and
	// every such month says so.
	long := Prices{
		month("2024-01"): {"A": 1000, "B": 500},
		month("2024-02"): {"B": 550},
		month("2024-03"): {"B": 600},
		month("2024-04"): {"A": 900, "B": 600},
	}
	got = computeBoth(t, b, long, month("2024-01"), month("2024-04"))
	for i, want := range [][]string{nil, {"A"}, {"A"}, nil} {
		if !slices.Equal(got[i].Carried, want) {
			t.Errorf("%s carried = %v, want %v", got[i].Month, got[i].Carried, want)
		}
	}
	// 2024-04: A 60·0.9 = 54, B 40·1.2 = 48: 102; 2024-03 was 60 + 48 = 108.
	if !near(got[3].Index, 102) || !near(got[2].Index, 108) {
		t.Errorf("indices %.12g, %.12g; want 108, 102", got[2].Index, got[3].Index)
	}
}

func TestMissingBasePrice(t *testing.T) {
	b := Basket{
		Name:    "Kota Kupang 2024",
		Base:    month("2024-01"),
		Weights: map[string]float64{"beras": 3, "cabai rawit": 1, "tongkol": 2},
	}
	p := Prices{
		month("2024-01"): {"beras": 13000},
		// A later price does not make up for the missing base price.
		month("2024-02"): {"beras": 13100, "cabai rawit": 60000, "tongkol": 35000},
	}
	_, err := Compute(b, p, month("2024-01"), month("2024-02"))
	var mb *MissingBaseError
	if !errors.As(err, &mb) {
		t.Fatalf("err = %v, want *MissingBaseError", err)
	}
	if !slices.Equal(mb.Commodities, []string{"cabai rawit", "tongkol"}) || mb.Base != b.Base {
		t.Errorf("MissingBaseError = %+v", mb)
	}
	if !errors.Is(err, ErrNoBasePrice) {
		t.Error("errors.Is(err, ErrNoBasePrice) = false")
	}
	msg := err.Error()
	for _, s := range []string{`"cabai rawit"`, `"tongkol"`, "2024-01", "Kota Kupang 2024"} {
		if !strings.Contains(msg, s) {
			t.Errorf("error %q does not mention %s", msg, s)
		}
	}
	if strings.Contains(msg, `"beras"`) {
		t.Errorf("error %q names a commodity that has a base price", msg)
	}
}
