package prices_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// indexPeriod is one month of GET /api/v1/price-index.
type indexPeriod struct {
	Period        string
	Index         float64
	MtM, YoY, YtD *float64
	Andil         []struct {
		Commodity string
		Value     float64
	}
	Groups  map[string]float64
	Carried []string
}

type indexAnswer struct {
	Basket, Base string
	Periods      []indexPeriod
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIndexMatchesHandCheckedExample sets up two commodities, A (weight
// 60) and B (weight 40), through the command line, and checks the index
// the API publishes against numbers worked out by hand. Monthly prices
// are geometric means: 800 and 1250 make 1000, 400 and 900 make 600.
//
//	         A     B      A·w/P0  B·w/P0   I
//	2025-01  1000  500    60      40       100
//	2025-02  1100  600    66      48       114     mtm 14, andil A 6, B 8
//	2025-03  1210  —      72.6    48       120.6   B carried at 600
//	2025-04  1210  450    72.6    36       108.6   mtm −12/120.6·100
//	2026-01  1331  450    79.86   36       115.86  yoy 15.86 (vs 2025-01)
//
// 2025-05 to 2025-12 have no observation: no index, so 2026-01's mtm and
// ytd (against December 2025) are null, while its yoy is not.
func TestIndexMatchesHandCheckedExample(t *testing.T) {
	h := start(t)
	if code, _, stderr := h.cli("prices", "import", "--kind", "commodities",
		writeFile(t, "c.csv", "code,name,unit,group_code\nuji-a,Komoditas A,kg,01\nuji-b,Komoditas B,kg,11\n")); code != 0 {
		t.Fatalf("commodities import = %d: %s", code, stderr)
	}
	if code, _, stderr := h.cli("prices", "import", "--kind", "markets",
		writeFile(t, "m.csv", "code,name,lat,lon\npsr-uji,Pasar Uji,-10.16,123.60\npsr-dua,Pasar Dua,,\n")); code != 0 {
		t.Fatalf("markets import = %d: %s", code, stderr)
	}
	obs := `date,market_code,commodity_code,price,trader
2025-01-06,psr-uji,uji-a,800,Lapak 1
2025-01-20,psr-dua,uji-a,1250,
2025-01-06,psr-uji,uji-b,500,Lapak 1
2025-02-03,psr-uji,uji-a,1100,Lapak 1
2025-02-03,psr-uji,uji-b,400,Lapak 1
2025-02-17,psr-dua,uji-b,900.00,
2025-03-03,psr-uji,uji-a,1210,Lapak 2
2025-04-07,psr-uji,uji-a,1210,
2025-04-07,psr-dua,uji-b,450,
2026-01-05,psr-uji,uji-a,1331,
2026-01-05,psr-uji,uji-b,450,
`
	code, stdout, stderr := h.cli("prices", "import", "--kind", "observations", writeFile(t, "o.csv", obs))
	if code != 0 || !strings.Contains(stdout, "11 observations lines imported") {
		t.Fatalf("observations import = %d %q %q", code, stdout, stderr)
	}
	code, _, stderr = h.cli("prices", "basket", "--name", "Uji", "--base", "2025-01", "--weights",
		writeFile(t, "w.csv", "commodity_code,weight\nuji-a,60\nuji-b,40\n"))
	if code != 0 {
		t.Fatalf("basket = %d: %s", code, stderr)
	}

	check := func(when string) {
		t.Helper()
		var got indexAnswer
		h.getJSON("", "/api/v1/price-index?basket=Uji&from=2024-06&to=2026-01", &got)
		if got.Basket != "Uji" || got.Base != "2025-01" || len(got.Periods) != 5 {
			t.Fatalf("%s: answer %+v", when, got)
		}
		want := []struct {
			period        string
			index         float64
			mtm, yoy, ytd *float64
			andil         map[string]float64
			carried       string
		}{
			{"2025-01", 100, nil, nil, nil, nil, ""},
			{"2025-02", 114, pct(14), nil, nil, map[string]float64{"uji-a": 6, "uji-b": 8}, ""},
			{"2025-03", 120.6, pct(6.6 / 114 * 100), nil, nil, map[string]float64{"uji-a": 6.6 / 114 * 100, "uji-b": 0}, "uji-b"},
			{"2025-04", 108.6, pct(-12 / 120.6 * 100), nil, nil, map[string]float64{"uji-a": 0, "uji-b": -12 / 120.6 * 100}, ""},
			{"2026-01", 115.86, nil, pct(15.86), nil, nil, ""},
		}
		for i, w := range want {
			p := got.Periods[i]
			if p.Period != w.period || !near(p.Index, w.index) {
				t.Errorf("%s: %s index = %v, want %s %v", when, p.Period, p.Index, w.period, w.index)
			}
			checkPct(t, when+" "+p.Period+" mtm", p.MtM, w.mtm)
			checkPct(t, when+" "+p.Period+" yoy", p.YoY, w.yoy)
			checkPct(t, when+" "+p.Period+" ytd", p.YtD, w.ytd)
			if len(p.Andil) != len(w.andil) {
				t.Errorf("%s: %s andil %v, want %v", when, p.Period, p.Andil, w.andil)
			}
			var sum float64
			for _, a := range p.Andil {
				sum += a.Value
				if !near(a.Value, w.andil[a.Commodity]) {
					t.Errorf("%s: %s andil %s = %v, want %v", when, p.Period, a.Commodity, a.Value, w.andil[a.Commodity])
				}
			}
			// The andil add up to the headline month-to-month inflation.
			if p.MtM != nil && !near(sum, *p.MtM) {
				t.Errorf("%s: %s Σ andil = %v, mtm = %v", when, p.Period, sum, *p.MtM)
			}
			if strings.Join(p.Carried, ",") != w.carried {
				t.Errorf("%s: %s carried = %v, want %q", when, p.Period, p.Carried, w.carried)
			}
			// Group 01 holds A only, group 11 B only.
			if p.Period == "2025-02" && (!near(p.Groups["01"], 110) || !near(p.Groups["11"], 120)) {
				t.Errorf("%s: 2025-02 groups = %v, want 01: 110, 11: 120", when, p.Groups)
			}
		}
	}
	// Before the background job: the stored results are stale, so the
	// answer is computed on the spot.
	check("computed on the spot")
	h.s.RunJobs(t)
	check("stored by the job")

	// A correction of history through an import changes the index: a
	// further observation of A in 2025-02 at 1331 moves A's February
	// price to sqrt(1100·1331) and the API says so at once.
	if code, _, stderr := h.cli("prices", "import", "--kind", "observations",
		writeFile(t, "more.csv", "date,market_code,commodity_code,price\n2025-02-10,psr-dua,uji-a,1331\n")); code != 0 {
		t.Fatal(stderr)
	}
	var got indexAnswer
	h.getJSON("", "/api/v1/price-index?basket=Uji&from=2025-02&to=2025-02", &got)
	pa := math.Sqrt(1100 * 1331)
	if len(got.Periods) != 1 || !near(got.Periods[0].Index, 60*pa/1000+48) {
		t.Errorf("after a new February price: %+v, want index %v", got.Periods, 60*pa/1000+48)
	}

	// Contract errors: no basket, an unknown one, a bad month.
	for path, want := range map[string]int{
		"/api/v1/price-index":                       400,
		"/api/v1/price-index?basket=Tidak+Ada":      404,
		"/api/v1/price-index?basket=Uji&from=2025":  400,
		"/api/v1/price-index?basket=Uji&to=2025-13": 400,
	} {
		if status, body := h.do("", "GET", path, nil); status != want {
			t.Errorf("GET %s = %d %s, want %d", path, status, body, want)
		}
	}
}

func pct(v float64) *float64 { return &v }

func checkPct(t *testing.T, what string, got, want *float64) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case want != nil && got == nil:
		t.Errorf("%s = null, want %v", what, *want)
	case want != nil && !near(*got, *want):
		t.Errorf("%s = %v, want %v", what, *got, *want)
	}
}

// TestIndexNeedsBasePrices: a basket commodity without a base-period
// price makes the index uncomputable, and the API says which one.
func TestIndexNeedsBasePrices(t *testing.T) {
	h := start(t)
	h.importCSV("commodities", "code,name,unit,group_code\nuji-a,A,kg,01\nuji-b,B,kg,01\n")
	h.importCSV("markets", "code,name\npsr-uji,Pasar Uji\n")
	h.importCSV("observations", "date,market_code,commodity_code,price\n2025-01-06,psr-uji,uji-a,1000\n2025-02-03,psr-uji,uji-b,500\n")
	code, _, stderr := h.cli("prices", "basket", "--name", "Tanpa Dasar", "--base", "2025-01", "--weights",
		writeFile(t, "w.csv", "commodity_code,weight\nuji-a,1\nuji-b,1\n"))
	if code != 0 {
		t.Fatal(stderr)
	}
	for range 2 { // on the spot, then from the stored state
		status, body := h.do("", "GET", "/api/v1/price-index?basket=Tanpa+Dasar", nil)
		if status != 422 || !strings.Contains(body, "uji-b") || !strings.Contains(body, "2025-01") {
			t.Errorf("index without a base price = %d %s", status, body)
		}
		h.s.RunJobs(t)
	}
	// The basket command reports unknown codes and bad weights by line.
	code, _, stderr = h.cli("prices", "basket", "--name", "Salah", "--base", "2025-01", "--weights",
		writeFile(t, "bad.csv", "commodity_code,weight\nuji-a,1\nuji-x,2\nuji-b,-1\n"))
	if code == 0 || !strings.Contains(stderr, `line 3: unknown commodity_code "uji-x"`) || !strings.Contains(stderr, `line 4: weight "-1"`) {
		t.Errorf("bad weights = %d %s", code, stderr)
	}
	if status, _ := h.do("", "GET", "/api/v1/price-index?basket=Salah", nil); status != 404 {
		t.Errorf("a refused basket exists: %d", status)
	}
}
