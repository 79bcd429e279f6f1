package prices_test

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/prices"
)

// TestDemoPagesAndExports starts with demo data and walks the public
// pages, the staff pages and the exports: every page renders, the
// seeded basket's index starts at 100 in its base month, and the CSV
// files have their documented columns and no personal data.
func TestDemoPagesAndExports(t *testing.T) {
	h := start(t, "--demo")
	b := h.board("")
	if got := b["beras-medium"]; got.Current == nil || got.Week == nil || got.Month == nil || len(got.Markets) != 6 {
		t.Fatalf("demo board beras = %+v", got)
	}
	var idx indexAnswer
	h.getJSON("", "/api/v1/price-index?basket="+url.QueryEscape(prices.KupangBasket), &idx)
	if idx.Base != "2024-01" || len(idx.Periods) < 30 || idx.Periods[0].Index != 100 || idx.Periods[0].MtM != nil {
		t.Fatalf("demo index = %+v", idx.Periods[:min(2, len(idx.Periods))])
	}
	for _, p := range idx.Periods[1:] {
		var sum float64
		for _, a := range p.Andil {
			sum += a.Value
		}
		if p.MtM == nil || !near(sum, *p.MtM) {
			t.Errorf("%s: Σ andil %v, mtm %v", p.Period, sum, p.MtM)
		}
	}
	// 2024-02 against 2024-01 with the real Panel Harga figures: beras
	// medium went from 13,423 to 14,471, so its andil is positive.
	for _, a := range idx.Periods[1].Andil {
		if a.Commodity == "beras-medium" && !(a.Value > 0) {
			t.Errorf("2024-02 andil of beras medium = %v", a.Value)
		}
	}

	for _, path := range []string{"/harga", "/harga?tanggal=2025-06-30", "/harga/komoditas/cabai-rawit-merah", "/harga/komoditas/beras-medium?rentang=10t",
		"/harga/disparitas", "/harga/inflasi", "/harga/asal", "/harga/asal?periode=hari", "/harga/asal?periode=30&komoditas=ikan-tongkol"} {
		if status, body := h.do("", "GET", path, nil); status != 200 || !strings.Contains(body, `class="subnav"`) {
			t.Errorf("GET %s = %d", path, status)
		}
	}
	for _, path := range []string{"/harga/komoditas/tidak-ada", "/harga/komoditas/dlhk"} {
		if status, _ := h.do("", "GET", path, nil); status != 404 {
			t.Errorf("GET %s = %d", path, status)
		}
	}
	status, page := h.do("", "GET", "/harga/komoditas/cabai-rawit-merah", nil)
	if status != 200 || !strings.Contains(page, `id="price-chart"`) || !strings.Contains(page, "vendor/uplot/uPlot.iife.min") ||
		!strings.Contains(page, `id="price-table"`) || !strings.Contains(page, "HAP") {
		t.Errorf("commodity page = %d", status)
	}
	var series struct {
		Granularity string
		Periods     []string
		City        []*float64
		Markets     []struct{ Values []*float64 }
		Reference   []*float64
	}
	h.getJSON("", "/api/v1/prices/series?commodity=cabai-rawit-merah&from=2024-01-01&to=2026-12-04", &series)
	if series.Granularity != "month" || len(series.Periods) != 36 || len(series.City) != 36 || len(series.Markets) != 6 || series.Reference[0] == nil || *series.Reference[0] != 57000 {
		t.Errorf("monthly series: %s, %d periods, %d markets, ref %v", series.Granularity, len(series.Periods), len(series.Markets), series.Reference[:1])
	}
	h.getJSON("", "/api/v1/prices/series?commodity=cabai-rawit-merah&from=2026-11-01&to=2026-12-04", &series)
	if series.Granularity != "day" || series.Periods[0] < "2026-11-01" {
		t.Errorf("daily series: %s %v", series.Granularity, series.Periods[:1])
	}
	for path, want := range map[string]int{"/api/v1/prices/series?commodity=x": 404, "/api/v1/prices/series?commodity=sawi&from=2026-13-01": 400,
		"/api/v1/prices/series?commodity=sawi&granularity=week": 400, "/api/v1/prices/board?date=kemarin": 400} {
		if status, _ := h.do("", "GET", path, nil); status != want {
			t.Errorf("GET %s = %d, want %d", path, status, want)
		}
	}
	var disparity struct {
		Commodities []struct {
			Commodity string
			SpreadPct float64 `json:"spread_pct"`
			Markets   []any
		}
	}
	h.getJSON("", "/api/v1/prices/disparity", &disparity)
	if len(disparity.Commodities) < 20 || disparity.Commodities[0].SpreadPct < disparity.Commodities[1].SpreadPct || len(disparity.Commodities[0].Markets) != 6 {
		t.Errorf("disparity = %+v", disparity.Commodities[:2])
	}

	// The demo leaves entries for review and the pages for staff render.
	for user, paths := range map[string][]string{
		"spv.disperindag":   {"/harga/tinjau", "/harga/tinjau?status=all&pasar=psr-oeba"},
		"enum.disperindag":  {"/harga/input", "/harga/input/psr-oeba", "/harga/input/psr-oeba?pedagang=2", "/harga/asal/catat"},
		"tpid":              {"/harga/peringatan"},
		"admin.disperindag": {"/harga/kelola", "/harga/kelola/pasar/psr-oeba", "/harga/kelola/pasar/baru", "/harga/kelola/komoditas/beras-medium", "/harga/kelola/komoditas/baru", "/harga/kelola/keranjang/1", "/harga/kelola/keranjang/baru", "/harga/kelola/pengaturan", "/harga/kelola/impor"},
	} {
		for _, path := range paths {
			if status, body := h.do(user, "GET", path, nil); status != 200 {
				t.Errorf("GET %s as %s = %d %.300s", path, user, status, body)
			}
		}
	}
	_, page = h.do("spv.disperindag", "GET", "/harga/tinjau", nil)
	if !strings.Contains(page, "Cuaca buruk, kapal nelayan tidak melaut dua hari") {
		t.Error("the demo's flagged entry is not in the review queue")
	}
	// Another unit's administrator manages none of this.
	_, page = h.do("admin.dlhk", "GET", "/harga/kelola", nil)
	if strings.Contains(page, "psr-oeba") || strings.Contains(page, "/harga/kelola/komoditas/baru") {
		t.Error("another unit's administrator sees the trade agency's data")
	}
	if status, _ := h.do("admin.dlhk", "GET", "/harga/kelola/pasar/psr-oeba", nil); status != 403 {
		t.Errorf("another unit's administrator opens a market: %d", status)
	}

	// Exports.
	status, body := h.do("", "GET", "/api/v1/prices/export/prices.csv?from=2026-12-01&to=2026-12-04&market=psr-oeba", nil)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != 200 || err != nil || len(rows) < 50 || strings.Join(rows[0], ",") != "date,market_code,commodity_code,price" {
		t.Fatalf("prices CSV = %d %v %d rows", status, err, len(rows))
	}
	for _, r := range rows[1:] {
		if r[1] != "psr-oeba" || r[0] < "2026-12-01" || r[0] > "2026-12-04" {
			t.Fatalf("prices CSV row %v", r)
		}
	}
	if strings.Contains(body, "Lapak") {
		t.Error("the prices CSV names traders")
	}
	if status, _ := h.do("", "GET", "/api/v1/prices/export/prices.csv?from=2020-01-01&to=2026-12-04", nil); status != 400 {
		t.Errorf("a six-year export = %d, want 400", status)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/index.csv?basket="+url.QueryEscape(prices.KupangBasket)+"&from=2024-01&to=2024-03", nil)
	rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != 200 || len(rows) != 4 || strings.Join(rows[0], ",") != "basket,base,period,index,mtm,yoy,ytd,carried" || rows[1][3] != "100" || rows[1][4] != "" {
		t.Errorf("index CSV = %d %q", status, body)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/index.csv?table=andil&basket="+url.QueryEscape(prices.KupangBasket)+"&from=2024-02&to=2024-02", nil)
	rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != 200 || len(rows) != 26 || strings.Join(rows[0], ",") != "basket,period,commodity,andil" {
		t.Errorf("andil CSV = %d %d rows", status, len(rows))
	}
}

// TestManagePages edits reference data through the pages: a market with a
// trader, a commodity with a HET, a basket, an origin region.
func TestManagePages(t *testing.T) {
	h := start(t)
	post := func(user, path string, form url.Values, want int) string {
		t.Helper()
		status, body := h.do(user, "POST", path, form.Encode())
		if status != want {
			t.Fatalf("POST %s = %d, want %d: %.1500s", path, status, want, body)
		}
		return body
	}
	post("admin.disperindag", "/harga/kelola/pasar/baru", url.Values{"code": {"psr-naikoten"}, "name": {"Pasar Naikoten II"}, "lat": {"-10.18"}, "lon": {"123.60"},
		"unit_code": {"disperindag"}, "active": {"1"}}, 303)
	body := post("admin.disperindag", "/harga/kelola/pasar/baru", url.Values{"code": {"psr-naikoten"}, "name": {"Lagi"}, "unit_code": {"disperindag"}}, 422)
	if !strings.Contains(body, "Kode ini sudah dipakai") {
		t.Error("a taken code is not reported")
	}
	post("admin.disperindag", "/harga/kelola/pasar/baru", url.Values{"code": {"psr-salah"}, "name": {"Salah"}, "lat": {"-10.18"}, "unit_code": {"disperindag"}}, 422)
	// Another unit's administrator may not give a market to the agency.
	post("admin.dlhk", "/harga/kelola/pasar/baru", url.Values{"code": {"psr-dlhk"}, "name": {"Pasar DLHK"}, "unit_code": {"disperindag"}}, 422)
	post("admin.disperindag", "/harga/kelola/pasar/psr-naikoten/pedagang", url.Values{"id": {"0"}, "name": {"Kios Mama Yuli"}}, 303)
	post("admin.disperindag", "/harga/kelola/pasar/psr-naikoten/pedagang", url.Values{"id": {"0"}, "name": {"Kios Mama Yuli"}}, 422)
	_, page := h.do("enum.disperindag", "GET", "/harga/input/psr-naikoten", nil)
	if !strings.Contains(page, "Kios Mama Yuli") {
		t.Error("the new trader is not on the entry form")
	}

	post("admin.disperindag", "/harga/kelola/komoditas/baru", url.Values{"code": {"jagung"}, "name": {"Jagung pipil"}, "unit": {"kg"}, "group_code": {"01"},
		"category": {"bahan-pokok"}, "active": {"1"}}, 303)
	post("admin.disperindag", "/harga/kelola/komoditas/jagung/acuan", url.Values{"kind": {"HAP"}, "price": {"6500"}, "legal_basis": {"Uji"}, "valid_from": {"2026-01-01"}}, 303)
	post("admin.disperindag", "/harga/kelola/komoditas/jagung/acuan", url.Values{"kind": {"HET"}, "price": {"abc"}}, 422)
	var comms struct {
		Commodities []struct {
			Code       string
			References []struct{ Kind string }
		}
	}
	h.getJSON("", "/api/v1/prices/commodities", &comms)
	found := false
	for _, c := range comms.Commodities {
		found = found || c.Code == "jagung" && len(c.References) == 1 && c.References[0].Kind == "HAP"
	}
	if !found {
		t.Error("the new commodity with its HAP is not listed")
	}

	post("admin.disperindag", "/harga/kelola/keranjang/baru", url.Values{"name": {"Keranjang Jagung"}, "base": {"2026-11"}, "w_jagung": {"10"}, "w_beras-medium": {"90"}}, 303)
	post("admin.disperindag", "/harga/kelola/keranjang/baru", url.Values{"name": {"Kosong"}, "base": {"2026-11"}}, 422)
	var baskets struct {
		Baskets []struct {
			Name    string
			Weights []struct{ Commodity string }
		}
	}
	h.getJSON("", "/api/v1/prices/baskets", &baskets)
	if len(baskets.Baskets) != 2 {
		t.Errorf("baskets = %+v", baskets)
	}
	post("admin.disperindag", "/harga/kelola/asal", url.Values{"code": {"5372"}, "name": {"Kota Contoh"}}, 422)
	post("admin.disperindag", "/harga/kelola/asal", url.Values{"code": {"64.72"}, "name": {"Kota Samarinda"}, "province": {"Kalimantan Timur"}, "lat": {"-0.5"}, "lon": {"117.15"}}, 303)
	_, form := h.do("enum.disperindag", "GET", "/harga/asal/catat", nil)
	if !strings.Contains(form, "Kota Samarinda") {
		t.Error("the new origin is not offered")
	}
	// Commodity, basket and settings pages belong to the trade agency.
	for _, path := range []string{"/harga/kelola/komoditas/baru", "/harga/kelola/keranjang/baru", "/harga/kelola/pengaturan", "/harga/kelola/impor"} {
		if status, _ := h.do("admin.dlhk", "GET", path, nil); status != 403 {
			t.Errorf("GET %s as another unit's administrator = %d", path, status)
		}
	}
	post("admin.dlhk", "/harga/kelola/komoditas/jagung", url.Values{"name": {"Bukan"}, "unit": {"kg"}, "group_code": {"01"}}, 403)
}

// TestAPIRoutesDocumented: every JSON route of the module is in the
// OpenAPI document (the platform's test checks all modules once the
// module is linked into the binary).
func TestAPIRoutesDocumented(t *testing.T) {
	h := start(t)
	n := 0
	for _, r := range h.s.App.Deps.Shell.Router.Routes() {
		if !r.API || !strings.HasPrefix(r.Path, "/api/v1/price") {
			continue
		}
		n++
		if !h.s.App.Deps.Shell.OpenAPI.Documented(r.Method, r.Path) {
			t.Errorf("%s %s is not documented", r.Method, r.Path)
		}
	}
	if n != 20 {
		t.Errorf("%d API routes, want 20", n)
	}
}
