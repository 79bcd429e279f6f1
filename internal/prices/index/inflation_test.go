package index

import "testing"

// One commodity of weight 1 and base price 100, so the index is the price
// and every expected percentage can be read off the table.
func TestComparisonsAcrossYears(t *testing.T) {
	series := func(base string, prices map[string]float64) (Basket, Prices) {
		b := Basket{Name: "one", Base: month(base), Weights: map[string]float64{"X": 1}}
		p := Prices{}
		for m, v := range prices {
			p[month(m)] = map[string]float64{"X": v}
		}
		return b, p
	}

	t.Run("base in January", func(t *testing.T) {
		b, p := series("2024-01", map[string]float64{
			"2024-01": 100, "2024-02": 101, "2024-03": 102, "2024-04": 103,
			"2024-05": 104, "2024-06": 105, "2024-07": 106, "2024-08": 107,
			"2024-09": 108, "2024-10": 109, "2024-11": 109.5, "2024-12": 110,
			"2025-01": 112.2, "2025-02": 111.1,
		})
		got := computeBoth(t, b, p, month("2024-01"), month("2025-02"))
		tests := []struct {
			month         string
			mtm, yoy, ytd *float64
		}{
			// Nothing before the base: no comparison for the base month.
			{"2024-01", nil, nil, nil},
			// December 2023 is before the base: no year-to-date in 2024.
			{"2024-02", ptr(1), nil, nil},
			{"2024-12", ptr((110 - 109.5) / 109.5 * 100), nil, nil},
			// (112.2 − 110)/110 = 2 %; a year after the base: 12.2 %.
			{"2025-01", ptr(2), ptr(12.2), ptr(2)},
			// (111.1 − 112.2)/112.2 = −0.98039…%; (111.1 − 101)/101 = 10 %;
			// (111.1 − 110)/110 = 1 %.
			{"2025-02", ptr((111.1 - 112.2) / 112.2 * 100), ptr(10), ptr(1)},
		}
		for _, tt := range tests {
			m := month(tt.month)
			i := m.Sub(b.Base)
			if got[i].Month != m {
				t.Fatalf("period %d is %s, want %s", i, got[i].Month, m)
			}
			checkPct(t, "MtM", m, got[i].MtM, tt.mtm)
			checkPct(t, "YoY", m, got[i].YoY, tt.yoy)
			checkPct(t, "YtD", m, got[i].YtD, tt.ytd)
		}
	})

	t.Run("base in December, a month without data", func(t *testing.T) {
		b, p := series("2023-12", map[string]float64{
			"2023-12": 100, "2024-01": 105, // 2024-02 has no data at all
			"2024-03": 102, "2024-04": 102, "2024-05": 103, "2024-06": 104,
			"2024-07": 104, "2024-08": 105, "2024-09": 105, "2024-10": 106,
			"2024-11": 106, "2024-12": 107, "2025-01": 108, "2025-02": 109,
			"2025-03": 110.16,
		})
		p[month("2024-02")] = map[string]float64{"not in the basket": 5}
		got := computeBoth(t, b, p, month("2024-01"), month("2025-03"))
		byMonth := map[Month]Period{}
		for _, g := range got {
			byMonth[g.Month] = g
		}
		if _, ok := byMonth[month("2024-02")]; ok || len(got) != 14 {
			t.Errorf("got %d periods including 2024-02 = %v; want 14, without 2024-02", len(got), ok)
		}
		tests := []struct {
			month         string
			mtm, yoy, ytd *float64
		}{
			// The base is December 2023, so 2024 has a year-to-date.
			{"2024-01", ptr(5), nil, ptr(5)},
			// The previous month has no index: no MtM and no andil.
			{"2024-03", nil, nil, ptr(2)},
			{"2024-12", ptr((107 - 106) / 106.0 * 100), ptr(7), ptr(7)},
			// (108 − 105)/105 against 2024-01.
			{"2025-01", ptr((108 - 107) / 107.0 * 100), ptr((108 - 105) / 105.0 * 100), ptr((108 - 107) / 107.0 * 100)},
			// A year after the empty month: no YoY.
			{"2025-02", ptr((109 - 108) / 108.0 * 100), nil, ptr((109 - 107) / 107.0 * 100)},
			// (110.16 − 102)/102 = 8 %.
			{"2025-03", ptr((110.16 - 109) / 109 * 100), ptr(8), ptr((110.16 - 107) / 107 * 100)},
		}
		for _, tt := range tests {
			g, ok := byMonth[month(tt.month)]
			if !ok {
				t.Fatalf("no period %s", tt.month)
			}
			checkPct(t, "MtM", g.Month, g.MtM, tt.mtm)
			checkPct(t, "YoY", g.Month, g.YoY, tt.yoy)
			checkPct(t, "YtD", g.Month, g.YtD, tt.ytd)
		}
		if a := byMonth[month("2024-03")].Andil; a != nil {
			t.Errorf("2024-03 andil = %v, want nil after a month without an index", a)
		}
	})

	t.Run("from after the base still compares with earlier months", func(t *testing.T) {
		b, p := series("2024-01", map[string]float64{"2024-01": 100, "2024-02": 110, "2024-03": 121})
		got := computeBoth(t, b, p, month("2024-03"), month("2024-03"))
		if len(got) != 1 || got[0].Month != month("2024-03") || !near(got[0].Index, 121) {
			t.Fatalf("got %+v, want only 2024-03 at 121", got)
		}
		checkPct(t, "MtM", got[0].Month, got[0].MtM, ptr(10))
	})

	t.Run("months after the data are left out", func(t *testing.T) {
		b, p := series("2024-01", map[string]float64{"2024-01": 100, "2024-02": 110})
		got := computeBoth(t, b, p, month("2024-01"), month("2024-06"))
		if len(got) != 2 {
			t.Fatalf("got %d periods, want 2", len(got))
		}
	})
}
