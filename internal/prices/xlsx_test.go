package prices_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// workbook builds an XLSX file whose first sheet holds rows; a
// time.Time cell is written as a spreadsheet date (a serial number with a
// date format), the way a typed date is stored.
func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				_ = f.SetCellStyle("Sheet1", cell, cell, dateStyle)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readWorkbook opens a downloaded workbook's first sheet.
func readWorkbook(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestXLSXImportAndExports: historical prices come as a workbook (dates
// typed as dates or as text, prices with decimals) through the upload
// page and the command line, with the same line-numbered, all-or-nothing
// checks as CSV; prices, the index and arrivals download as workbooks
// with the CSV's columns and numbers as numbers.
func TestXLSXImportAndExports(t *testing.T) {
	h := start(t)
	upload := func(name string, data []byte) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", "observations")
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		resp, body := apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/harga/kelola/impor", mw.FormDataContentType(), buf.String(),
			http.Header{"Authorization": {"Bearer " + h.token("admin.disperindag")}})
		return resp.StatusCode, body
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }

	// One bad line (row 4: an unknown market) refuses the whole workbook.
	bad := workbook(t, [][]any{
		{"date", "market_code", "commodity_code", "price", "trader"},
		{day("2026-11-02"), "psr-oeba", "beras-medium", 13500.5, "Lapak 1"},
		{"2026-11-02", "psr-oebobo", "beras-medium", 13600, ""},
		{day("2026-11-02"), "psr-entah", "beras-medium", 13700, ""},
	})
	status, body := upload("harga.xlsx", bad)
	if status != 422 || !strings.Contains(body, "baris 4: market_code &#34;psr-entah&#34; tidak dikenal") {
		t.Fatalf("bad workbook = %d %.3000s", status, body)
	}
	if n := h.countPrices("beras-medium", "2026-11-01", today); n != 0 {
		t.Fatalf("%d prices after a refused workbook", n)
	}

	good := workbook(t, [][]any{
		{"date", "market_code", "commodity_code", "price", "trader"},
		{day("2026-11-02"), "psr-oeba", "beras-medium", 13500.5, "Lapak 1"},
		{"2026-11-02", "psr-oebobo", "beras-medium", 13600, ""},
		{},
		{day("2026-11-03"), "psr-oeba", "beras-medium", "13550", "Lapak 1"},
	})
	status, body = upload("harga.xlsx", good)
	if status != 200 || !strings.Contains(body, "Impor selesai: 3 baris, 3 baru") {
		t.Fatalf("good workbook = %d %.3000s", status, body)
	}
	// The command line takes the same workbook.
	p := filepath.Join(t.TempDir(), "harga.xlsx")
	if err := os.WriteFile(p, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := h.cli("prices", "import", "--kind", "observations", p); code != 0 || !strings.Contains(stdout, "3 observations lines imported") {
		t.Fatalf("cli workbook = %d %q %q", code, stdout, stderr)
	}
	if n := h.countPrices("beras-medium", "2026-11-01", today); n != 6 {
		t.Errorf("%d prices, want 6", n)
	}

	// Downloads.
	status, body = h.do("", "GET", "/api/v1/prices/export/prices.xlsx?commodity=beras-medium&from=2026-11-01&to="+today, nil)
	rows := readWorkbook(t, body)
	if status != 200 || len(rows) != 7 || strings.Join(rows[0], ",") != "date,market_code,commodity_code,price" {
		t.Fatalf("prices.xlsx = %d %v", status, rows)
	}
	found := false
	for _, r := range rows[1:] {
		found = found || len(r) == 4 && r[0] == "2026-11-02" && r[1] == "psr-oeba" && r[3] == "13500.5"
	}
	if !found {
		t.Errorf("prices.xlsx lacks the decimal price: %v", rows)
	}

	h.importCSV("observations", "date,market_code,commodity_code,price\n2026-10-05,psr-oeba,beras-medium,13000\n2026-10-05,psr-oeba,ikan-kembung,50000\n2026-11-05,psr-oeba,ikan-kembung,55000\n")
	if code, _, stderr := h.cli("prices", "basket", "--name", "Dua", "--base", "2026-10", "--weights",
		writeFile(t, "w.csv", "commodity_code,weight\nberas-medium,3\nikan-kembung,1\n")); code != 0 {
		t.Fatal(stderr)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/index.xlsx?basket=Dua", nil)
	rows = readWorkbook(t, body)
	if status != 200 || len(rows) != 3 || strings.Join(rows[0], ",") != "basket,base,period,index,mtm,yoy,ytd,carried" ||
		rows[1][2] != "2026-10" || rows[1][3] != "100" || rows[2][2] != "2026-11" {
		t.Fatalf("index.xlsx = %d %v", status, rows)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/index.xlsx?basket=Dua&table=andil", nil)
	if rows = readWorkbook(t, body); status != 200 || len(rows) != 3 || strings.Join(rows[0], ",") != "basket,period,commodity,andil" {
		t.Errorf("andil.xlsx = %d %v", status, rows)
	}

	if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", map[string]any{"key": key(), "day": today, "commodity": "ikan-tongkol",
		"quantity": 1.5, "unit": "ton", "origin": "53.06", "mode": "ship", "entry_point": "tpi-oeba", "distributor": "UD Rahasia"}); status != 201 {
		t.Fatalf("inflow = %d %s", status, body)
	}
	status, body = h.do("", "GET", "/api/v1/prices/export/inflows.xlsx", nil)
	rows = readWorkbook(t, body)
	if status != 200 || len(rows) != 2 || rows[1][1] != "ikan-tongkol" || rows[1][2] != "1.5" || rows[1][4] != "53.06" || strings.Contains(body, "Rahasia") {
		t.Errorf("inflows.xlsx = %d %v", status, rows)
	}
	if status, _ := h.do("", "GET", "/api/v1/prices/export/index.xlsx?basket=Tidak+Ada", nil); status != 404 {
		t.Errorf("unknown basket workbook = %d", status)
	}
}
