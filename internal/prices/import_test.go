package prices_test

import (
	"bytes"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// countPrices counts the exported observations of a commodity.
func (h *harness) countPrices(commodity, from, to string) int {
	h.t.Helper()
	status, body := h.do("", "GET", "/api/v1/prices/export/prices.csv?commodity="+commodity+"&from="+from+"&to="+to, nil)
	if status != 200 {
		h.t.Fatalf("export = %d %s", status, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		h.t.Fatal(err)
	}
	return len(rows) - 1
}

// TestImportContract is the command line's import contract: a valid file
// imports; a file with one bad line imports nothing, says which line and
// why on stderr, and exits non-zero.
func TestImportContract(t *testing.T) {
	h := start(t)
	// --db before the file, the file before --kind: both forms work.
	code, stdout, stderr := h.cli("prices", "import", writeFile(t, "c.csv",
		"code,name,unit,group_code,het\nminyakita,MinyaKita,liter,01,15700\nterasi,Terasi,bungkus,1,\n"), "--kind", "commodities")
	if code != 0 || !strings.Contains(stdout, "2 commodities lines imported (2 new, 0 updated)") {
		t.Fatalf("commodities = %d %q %q", code, stdout, stderr)
	}
	var comms struct {
		Commodities []struct {
			Code       string
			GroupCode  string `json:"group_code"`
			References []struct {
				Kind  string
				Price float64
			}
		}
	}
	h.getJSON("", "/api/v1/prices/commodities", &comms)
	found := 0
	for _, c := range comms.Commodities {
		switch c.Code {
		case "minyakita":
			found++
			if len(c.References) != 1 || c.References[0].Kind != "HET" || c.References[0].Price != 15700 {
				t.Errorf("minyakita references = %+v", c.References)
			}
		case "terasi":
			found++
			if c.GroupCode != "01" || len(c.References) != 0 {
				t.Errorf("terasi = %+v", c)
			}
		}
	}
	if found != 2 {
		t.Fatalf("imported commodities not listed: %+v", comms)
	}
	if code, _, stderr := h.cli("prices", "import", "--kind", "markets", writeFile(t, "m.csv", "code,name,lat,lon\npsr-baru,Pasar Baru,-10.17,123.61\n")); code != 0 {
		t.Fatal(stderr)
	}

	good := "date,market_code,commodity_code,price,trader\n" +
		"2026-12-01,psr-oeba,minyakita,15500,Lapak 1\n" +
		"2026-12-01,psr-baru,minyakita,15600.50,\n" +
		"2026-12-02,psr-inpres,minyakita,15800,Lapak 2\n"
	code, stdout, stderr = h.cli("prices", "import", "--kind", "observations", writeFile(t, "good.csv", good))
	if code != 0 || !strings.Contains(stdout, "3 observations lines imported") {
		t.Fatalf("good file = %d %q %q", code, stdout, stderr)
	}
	if n := h.countPrices("minyakita", "2026-11-01", "2026-12-04"); n != 3 {
		t.Fatalf("%d prices after the good file, want 3", n)
	}

	// One bad line among good ones: nothing is imported.
	bad := "date,market_code,commodity_code,price\n" +
		"2026-12-03,psr-oeba,minyakita,15500\n" +
		"2026-12-03,psr-x,minyakita,15500\n" +
		"2026-12-03,psr-oeba,minyakita,15600\n"
	code, _, stderr = h.cli("prices", "import", "--kind", "observations", writeFile(t, "bad.csv", bad))
	if code == 0 {
		t.Fatal("a file with a bad line was accepted")
	}
	if !strings.Contains(stderr, "line 3: unknown market_code \"psr-x\"\n") {
		t.Errorf("stderr = %q", stderr)
	}
	if n := h.countPrices("minyakita", "2026-11-01", "2026-12-04"); n != 3 {
		t.Errorf("%d prices after the bad file, want still 3", n)
	}

	// Every kind of bad line is reported, one line each, in file order.
	worse := "date,market_code,commodity_code,price\n" +
		"2026-13-01,psr-oeba,minyakita,15500\n" +
		"2026-12-03,psr-oeba,minyakita,-15500\n" +
		"2026-12-03,psr-oeba,minyakita,lima belas ribu\n" +
		"2026-12-03,psr-oeba,gula-merah,15500\n" +
		"2026-12-03,psr-oeba,minyakita,15.500,7\n" +
		"2027-01-01,psr-oeba,minyakita,15500\n" +
		"03/12/2026,psr-oeba,minyakita,15500\n" +
		"2026-12-03,psr-oeba,minyakita,0\n"
	code, _, stderr = h.cli("prices", "import", "--kind", "observations", writeFile(t, "worse.csv", worse))
	want := []string{
		`line 2: invalid date "2026-13-01" (want YYYY-MM-DD)`,
		`line 3: price "-15500" must be a positive number of rupiah`,
		`line 4: price "lima belas ribu" is not a number`,
		`line 5: unknown commodity_code "gula-merah"`,
		`line 7: date "2027-01-01" is in the future`,
		`line 8: invalid date "03/12/2026" (want YYYY-MM-DD)`,
		`line 9: price "0" must be a positive number of rupiah`,
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code == 0 || len(lines) < len(want) {
		t.Fatalf("worse file = %d %q", code, stderr)
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("stderr line %d = %q, want %q", i+1, lines[i], w)
		}
	}
	// "15.500" is fifteen and a half rupiah, a valid if odd price: only
	// the extra column of line 6 is tolerated, nothing else reported.
	if strings.Contains(stderr, "line 6") {
		t.Errorf("line 6 reported: %q", stderr)
	}
	if n := h.countPrices("minyakita", "2026-11-01", "2026-12-04"); n != 3 {
		t.Errorf("%d prices after the worse file, want still 3", n)
	}

	// Headers are checked before anything else.
	code, _, stderr = h.cli("prices", "import", "--kind", "observations", writeFile(t, "hdr.csv", "tanggal,pasar,harga\n2026-12-01,psr-oeba,1\n"))
	if code == 0 || !strings.Contains(stderr, `line 1: unknown column "tanggal"`) {
		t.Errorf("bad header = %d %q", code, stderr)
	}
	code, _, stderr = h.cli("prices", "import", "--kind", "observations", writeFile(t, "miss.csv", "date,market_code,price\n"))
	if code == 0 || !strings.Contains(stderr, `line 1: missing column "commodity_code"`) {
		t.Errorf("missing column = %d %q", code, stderr)
	}
	// Commodity and market lines are checked field by field too.
	code, _, stderr = h.cli("prices", "import", "--kind", "commodities", writeFile(t, "c2.csv",
		"code,name,unit,group_code\nok-satu,Satu,kg,01\nBAD CODE,Dua,kg,01\nok-tiga,Tiga,kg,12\n"))
	if code == 0 || !strings.Contains(stderr, "line 3: code: ") || !strings.Contains(stderr, `line 4: group_code: "12" is not a BPS expenditure group (01–11)`) {
		t.Errorf("bad commodities = %d %q", code, stderr)
	}
	var after struct{ Commodities []struct{ Code string } }
	h.getJSON("", "/api/v1/prices/commodities", &after)
	for _, c := range after.Commodities {
		if c.Code == "ok-satu" {
			t.Error("a commodity of a refused file was imported")
		}
	}
	// Re-importing updates by code.
	code, stdout, _ = h.cli("prices", "import", "--kind", "markets", writeFile(t, "m2.csv", "code,name\npsr-baru,Pasar Baru Kupang\n"))
	if code != 0 || !strings.Contains(stdout, "(0 new, 1 updated)") {
		t.Errorf("market update = %d %q", code, stdout)
	}
	// Usage errors.
	if code, _, stderr := h.cli("prices", "import", "--kind", "harga", writeFile(t, "x.csv", "a\n")); code == 0 || !strings.Contains(stderr, "unknown import kind") {
		t.Errorf("unknown kind = %d %q", code, stderr)
	}
	if code, _, _ := h.cli("prices", "import", "--kind", "markets"); code == 0 {
		t.Error("no file accepted")
	}
}

// TestImportPage uploads files through the staff page, which shares the
// importer (and its all-or-nothing rule) with the command line.
func TestImportPage(t *testing.T) {
	h := start(t)
	upload := func(user, kind, text string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", kind)
		fw, _ := mw.CreateFormFile("file", "data.csv")
		_, _ = fw.Write([]byte(text))
		_ = mw.Close()
		resp, body := apptest.Do(t, h.s.Client(), "POST", h.s.URL+"/harga/kelola/impor", mw.FormDataContentType(), buf.String(),
			http.Header{"Authorization": {"Bearer " + h.token(user)}})
		return resp.StatusCode, body
	}
	status, body := upload("admin.disperindag", "observations", "date,market_code,commodity_code,price\n2026-12-02,psr-oeba,beras-medium,13500\n2026-12-02,psr-oebobo,beras-medium,13600\n")
	if status != 200 || !strings.Contains(body, "Impor selesai: 2 baris, 2 baru") {
		t.Fatalf("upload = %d %.2000s", status, body)
	}
	status, body = upload("admin.disperindag", "observations", "date,market_code,commodity_code,price\n2026-12-02,psr-oeba,beras-medium,abc\n")
	if status != 422 || !strings.Contains(body, "baris 2: harga &#34;abc&#34; bukan angka") {
		t.Fatalf("bad upload = %d %.3000s", status, body)
	}
	if n := h.countPrices("beras-medium", "2026-11-01", "2026-12-04"); n != 2 {
		t.Errorf("%d prices, want 2", n)
	}
	// An enumerator may not import, nor another unit's administrator.
	for _, user := range []string{"enum.disperindag", "admin.dlhk"} {
		if status, _ := upload(user, "observations", "date,market_code,commodity_code,price\n"); status != 403 {
			t.Errorf("%s upload = %d", user, status)
		}
	}
}
