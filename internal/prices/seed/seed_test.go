package seed

import (
	"testing"

	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// TestSeedFilesAreConsistent reads every file and checks the links
// between them: references and basket weights name known commodities,
// group codes are BPS's, the NTT subset is complete, and every
// commodity with a Panel Harga name has a real series.
func TestSeedFilesAreConsistent(t *testing.T) {
	markets, err := Markets()
	if err != nil || len(markets) != 6 {
		t.Fatalf("markets: %d, %v", len(markets), err)
	}
	for _, m := range markets {
		if m.Lat > -10.1 || m.Lat < -10.25 || m.Lon < 123.5 || m.Lon > 123.75 {
			t.Errorf("market %s at %v,%v is not in Kupang", m.Code, m.Lat, m.Lon)
		}
	}
	comms, err := Commodities()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]Commodity{}
	for _, c := range comms {
		if _, ok := index.ExpenditureGroup(c.GroupCode); !ok {
			t.Errorf("%s: group %q", c.Code, c.GroupCode)
		}
		known[c.Code] = c
	}
	refs, err := References()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		if _, ok := known[r.Commodity]; !ok || (r.Kind != "HET" && r.Kind != "HAP") || r.Price <= 0 {
			t.Errorf("reference %+v", r)
		}
	}
	basket, err := KupangBasket()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range basket {
		if _, ok := known[w.Commodity]; !ok || w.Weight <= 0 {
			t.Errorf("basket weight %+v", w)
		}
	}
	for _, want := range []string{"ikan-kembung", "ikan-tongkol", "ikan-tembang", "ikan-cakalang", "kangkung", "sawi", "daging-babi", "daging-ayam-ras"} {
		found := false
		for _, w := range basket {
			found = found || w.Commodity == want
		}
		if !found {
			t.Errorf("basket lacks %s", want)
		}
	}
	origins, err := Origins()
	if err != nil {
		t.Fatal(err)
	}
	ntt := 0
	for _, o := range origins {
		if o.Code[:3] == "53." {
			ntt++
		}
	}
	if ntt != 22 {
		t.Errorf("%d NTT kab/kota, want 22", ntt)
	}
	if _, err := EntryPoints(); err != nil {
		t.Fatal(err)
	}
	monthly, err := KupangMonthly()
	if err != nil {
		t.Fatal(err)
	}
	series := map[string]int{}
	for _, p := range monthly {
		series[p.PanelName]++
	}
	for _, c := range comms {
		if c.PanelName != "" && series[c.PanelName] != 20 {
			t.Errorf("%s: %d months of %q, want 20", c.Code, series[c.PanelName], c.PanelName)
		}
	}
}
