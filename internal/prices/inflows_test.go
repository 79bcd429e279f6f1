package prices_test

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
)

// TestInflowsMapAndTables records arrivals (through the JSON API and the
// form), then checks the JSON that feeds the map, the page with its map
// and tables, today's fish, and the CSV without distributors.
func TestInflowsMapAndTables(t *testing.T) {
	h := start(t)
	arrivals := []map[string]any{
		{"key": key(), "day": today, "commodity": "ikan-tongkol", "quantity": 1200, "unit": "kg", "origin": "53.14", "mode": "ship", "entry_point": "tpi-oeba", "distributor": "UD Laut Biru"},
		{"key": key(), "day": today, "commodity": "ikan-tongkol", "quantity": 0.8, "unit": "ton", "origin": "53.01", "mode": "ship", "entry_point": "tpi-oeba"},
		{"key": key(), "day": "2026-12-02", "commodity": "beras-medium", "quantity": 80, "unit": "ton", "origin": "73.14", "mode": "ship", "entry_point": "pelabuhan-tenau"},
		{"key": key(), "day": "2026-12-03", "commodity": "telur-ayam-ras", "quantity": 12, "unit": "ton", "origin": "35.05", "mode": "ship", "entry_point": "pelabuhan-tenau"},
	}
	for _, a := range arrivals {
		if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", a); status != 201 {
			t.Fatalf("record %v = %d %s", a, status, body)
		}
	}
	// A resend stores nothing.
	if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", arrivals[0]); status != 200 || !strings.Contains(body, `"duplicate":true`) {
		t.Errorf("resend = %d %s", status, body)
	}
	// Checks: a unit that does not convert, an unknown origin, anonymous.
	bad := map[string]any{"day": today, "commodity": "ikan-tongkol", "quantity": 5, "unit": "liter", "origin": "53.14", "mode": "ship", "entry_point": "tpi-oeba"}
	if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", bad); status != 422 || !strings.Contains(body, `"unit"`) {
		t.Errorf("liters of fish = %d %s", status, body)
	}
	bad["unit"], bad["origin"] = "kg", "99.99"
	if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", bad); status != 422 || !strings.Contains(body, `"origin"`) {
		t.Errorf("unknown origin = %d %s", status, body)
	}
	if status, _ := h.do("", "POST", "/api/v1/prices/inflows", arrivals[1]); status != 401 {
		t.Errorf("anonymous record = %d", status)
	}
	// The form, as an enumerator at the port would use it.
	status, _ := h.do("enum.disperindag", "POST", "/harga/asal/catat", url.Values{"key": {key()}, "day": {today}, "commodity": {"ikan-cakalang"},
		"quantity": {"500"}, "unit": {"kg"}, "origin": {"53.05"}, "mode": {"ship"}, "entry_point": {"tpi-oeba"}}.Encode())
	if status != 303 {
		t.Fatalf("form = %d", status)
	}

	var flows struct {
		Destination struct{ Lat, Lon float64 }
		Origins     []struct {
			Code        string
			Lat, Lon    *float64
			Arrivals    int
			Commodities []struct {
				Commodity string
				Quantity  float64
				SharePct  float64 `json:"share_pct"`
			}
		}
		EntryPoints []struct{ Code string } `json:"entry_points"`
	}
	h.getJSON("", "/api/v1/prices/inflows?from=2026-12-01&to=2026-12-04", &flows)
	if flows.Destination.Lat > -10 || len(flows.Origins) != 5 || len(flows.EntryPoints) < 4 {
		t.Fatalf("flows = %+v", flows)
	}
	byCode := map[string]int{}
	for i, o := range flows.Origins {
		byCode[o.Code] = i
		if o.Lat == nil || o.Lon == nil {
			t.Errorf("origin %s without a position", o.Code)
		}
	}
	rote := flows.Origins[byCode["53.14"]].Commodities[0]
	kupang := flows.Origins[byCode["53.01"]].Commodities[0]
	// 0.8 ton = 800 kg: Rote Ndao brought 1200 of 2000 kg, 60 %.
	if rote.Commodity != "ikan-tongkol" || rote.Quantity != 1200 || !near(rote.SharePct, 60) || kupang.Quantity != 800 || !near(kupang.SharePct, 40) {
		t.Errorf("tongkol shares: Rote %+v, Kab. Kupang %+v", rote, kupang)
	}
	if b := flows.Origins[byCode["73.14"]].Commodities[0]; b.Quantity != 80000 {
		t.Errorf("rice from Sidrap = %+v", b)
	}
	// One commodity, one category.
	h.getJSON("", "/api/v1/prices/inflows?from=2026-12-01&to=2026-12-04&category=ikan", &flows)
	if len(flows.Origins) != 3 {
		t.Errorf("fish origins = %d", len(flows.Origins))
	}

	status, page := h.do("", "GET", "/harga/asal?periode=bulan", nil)
	if status != 200 || !strings.Contains(page, `id="inflow-map"`) || !strings.Contains(page, `data-url="/api/v1/prices/inflows?from=2026-12-01&amp;to=2026-12-04"`) ||
		!strings.Contains(page, "vendor/leaflet/leaflet") || !strings.Contains(page, "prices/inflows-map") {
		t.Fatalf("page = %d", status)
	}
	for _, want := range []string{"Kabupaten Rote Ndao", "Kabupaten Blitar", "Dari mana ikan hari ini?", "Kabupaten Alor", "80.000 kg"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "UD Laut Biru") {
		t.Error("the public page shows a distributor")
	}
	// Shares over time for one commodity.
	_, page = h.do("", "GET", "/harga/asal?komoditas=ikan-tongkol", nil)
	if !strings.Contains(page, "Pangsa daerah asal: Ikan tongkol") || !strings.Contains(page, "60,0%") {
		t.Errorf("share table missing")
	}

	status, body := h.do("", "GET", "/api/v1/prices/export/inflows.csv?from=2026-12-01&to=2026-12-04", nil)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != 200 || err != nil || len(rows) != 6 || strings.Join(rows[0], ",") != "date,commodity_code,quantity,unit,origin_code,origin_name,mode,entry_point" {
		t.Fatalf("inflows CSV = %d %v %q", status, err, body)
	}
	if strings.Contains(body, "Laut Biru") {
		t.Error("the CSV shows a distributor")
	}
}
