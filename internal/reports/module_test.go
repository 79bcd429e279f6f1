package reports_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

// Every /api/ route of the module is in the OpenAPI document, every text
// exists in both languages, and every console route turns away visitors
// and staff without the permission.
func TestRoutesDocumentedTranslatedAndGuarded(t *testing.T) {
	s := start(t, true)
	sh := s.App.Deps.Shell
	for _, r := range sh.Router.Routes() {
		if strings.HasPrefix(r.Path, "/api/") && !sh.OpenAPI.Documented(r.Method, r.Path) {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, r.Path)
		}
	}
	if missing := sh.Catalog().Missing(); len(missing) > 0 {
		t.Errorf("untranslated messages: %v", missing)
	}
	for _, key := range []string{"reports.status_diterima", "reports.event_auto_closed", "reports.err_photo_too_large", "reports.kind_cuti_bersama"} {
		if sh.Catalog().T(i18n.English, key) == key {
			t.Errorf("message %s missing", key)
		}
	}
	visitor := newBrowser(t, s)
	citizenLike := newStaff(t, s, "asn.test", "kominfo", "employee")
	officer := signIn(t, s, "dlhk.officer", demoPassword)
	for _, tc := range []struct {
		b      *browser
		path   string
		status int
	}{
		{visitor, "/petugas/laporan", http.StatusSeeOther},
		{visitor, "/petugas/eskalasi", http.StatusSeeOther},
		{visitor, "/petugas/pengaturan", http.StatusSeeOther},
		{visitor, "/lapor/saya", http.StatusSeeOther},
		{citizenLike, "/petugas/laporan", http.StatusForbidden},
		{officer, "/petugas/eskalasi", http.StatusForbidden},
		{officer, "/petugas/pengaturan", http.StatusForbidden},
		{officer, "/petugas/pengaturan/hari-libur", http.StatusForbidden},
		{officer, "/petugas/laporan", http.StatusOK},
	} {
		if resp, _ := tc.b.get(tc.path); resp.StatusCode != tc.status {
			t.Errorf("%s as %p = %d, want %d", tc.path, tc.b, resp.StatusCode, tc.status)
		}
	}
	resp, _ := visitor.post("/petugas/laporan/1/verifikasi", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous console action = %d", resp.StatusCode)
	}
	// Every page of the module renders with the demo data.
	admin := signIn(t, s, "admin", demoPassword)
	for _, path := range []string{"/lapor", "/lapor?kategori=kebakaran", "/lapor?kategori=miras-narkoba", "/laporan", "/laporan?status=open&kategori=jalan-rusak",
		"/laporan/statistik?hari=365", "/laporan/1", "/petugas/laporan?status=", "/petugas/laporan?tampilan=peta&terlambat=1",
		"/petugas/laporan/2", "/petugas/eskalasi", "/petugas/pengaturan", "/petugas/pengaturan/hari-libur?tahun=2027"} {
		resp, body := admin.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s = %d\n%s", path, resp.StatusCode, tail(body))
		}
	}
	// English pages.
	en := newBrowser(t, s)
	en.get("/bahasa/en")
	if _, body := en.get("/lapor"); !strings.Contains(body, "Report a problem") {
		t.Error("the English picker is not in English")
	}
}

// The intake is rate-limited per address (the tests raise the limits
// elsewhere).
func TestIntakeRateLimit(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	b := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.02.1003")
	limited := false
	for i := 0; i < 15 && !limited; i++ {
		resp, _ := b.api(http.MethodPost, "/api/v1/reports", map[string]any{"category": "jalan-rusak", "lat": p[0], "lon": p[1],
			"description": "Lubang", "attributes": map[string]any{"ukuran": "kecil"}}, nil)
		limited = resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != ""
	}
	if !limited {
		t.Fatal("15 submissions in a row from one address were all accepted")
	}
}

// The citizen form page — HTML, styles and scripts, gzipped as served —
// stays under 100 KB (map tiles excluded), so it loads on a slow phone
// connection.
func TestFormPageWeight(t *testing.T) {
	s := start(t, false)
	c := &http.Client{Timeout: 10 * time.Second}
	fetch := func(path string) ([]byte, int) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s = %d", path, resp.StatusCode)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" && len(raw) > 1024 {
			t.Fatalf("%s is not compressed", path)
		}
		plain := raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ = io.ReadAll(zr)
		}
		return plain, len(raw)
	}
	for _, cat := range []string{"jalan-rusak", "gawat-darurat-kesehatan"} {
		page, total := fetch("/lapor?kategori=" + cat)
		assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js))"`).FindAllStringSubmatch(string(page), -1)
		if len(assets) < 4 {
			t.Fatalf("only %d assets on the form", len(assets))
		}
		for _, a := range assets {
			_, n := fetch(a[1])
			total += n
		}
		if total > 100*1024 {
			t.Errorf("the %s form weighs %d bytes transferred, over 100 KB", cat, total)
		}
		t.Logf("form %s: %d bytes transferred (page + %d styles and scripts, gzip)", cat, total, len(assets))
	}
}

// The form's service worker may keep an offline copy of the form only
// when the page was not made for an account; its script is served from
// /lapor with the scope it needs.
func TestFormOfflineCopyRules(t *testing.T) {
	s := start(t, false)
	resp, _ := newBrowser(t, s).get("/lapor?kategori=jalan-rusak")
	if resp.Header.Get("X-Offline-Copy") != "" {
		t.Fatal("an anonymous form page refuses an offline copy")
	}
	staff(t, s, "copy.dlhk", "dlhk", "", "officer")
	resp, _ = signIn(t, s, "copy.dlhk", demoPassword).get("/lapor?kategori=jalan-rusak")
	if resp.Header.Get("X-Offline-Copy") != "no" {
		t.Fatal("a signed-in form page allows an offline copy")
	}
	resp, body := newBrowser(t, s).get("/lapor/sw.js")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Service-Worker-Allowed") != "/lapor" ||
		!strings.Contains(body, `var OUTBOX = "/static/`) || strings.Contains(body, "/*OUTBOX*/") {
		t.Fatalf("service worker = %d %q\n%s", resp.StatusCode, resp.Header.Get("Service-Worker-Allowed"), body)
	}
}
