package health_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/i18n/i18ntest"
)

// TestModuleContract: documented API routes, complete catalogs,
// migrations that only add.
func TestModuleContract(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	sh := s.App.Deps.Shell
	for _, r := range sh.Router.Routes() {
		if r.API && strings.HasPrefix(r.Path, "/api/v1/") && (strings.Contains(r.Path, "health") || strings.Contains(r.Path, "growth")) &&
			!sh.OpenAPI.Documented(r.Method, r.Path) {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, r.Path)
		}
	}
	if missing := sh.Catalog().Missing(); len(missing) > 0 {
		t.Errorf("messages missing a translation: %v", missing)
	}
	destructive := regexp.MustCompile(`(?is)\b(DROP\s+(TABLE|COLUMN|SCHEMA|DATABASE)|TRUNCATE|DELETE\s+FROM|ALTER\s+TABLE\s+\S+\s+DROP|RENAME\s+COLUMN)\b`)
	for _, set := range s.App.MigrationSets() {
		if set.Module != "health" {
			continue
		}
		ms, err := set.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if d := destructive.FindString(m.SQL); d != "" {
				t.Errorf("migration %s contains %q", m.ID(), d)
			}
		}
	}
}

// TestCatalogKeys checks the catalogs (i18ntest.Check).
func TestCatalogKeys(t *testing.T) {
	i18ntest.Check(t, os.DirFS("."), "health", i18ntest.Options{
		// Permission codes look like keys but are not.
		NotKeys: []string{"health.records", "health.reports", "health.export", "health.manage", "health.skdr"}})
}

// TestRoutesNeverFail walks every route of the module as each kind of
// caller, with dummy path values and empty forms: refusals and
// validation errors are fine, a 5xx is not.
func TestRoutesNeverFail(t *testing.T) {
	s := startDemo(t)
	callers := map[string]http.Header{"anonymous": nil, "fhir key": fhirKey(t, s)}
	for _, u := range []string{"pkm.oesapa", "dinkes.supervisor", "dlhk.supervisor", "walikota", "admin", "brigade.sehat"} {
		callers[u] = http.Header{"Authorization": {"Bearer " + token(t, s, u)}}
	}
	fill := regexp.MustCompile(`\{[^}]+\}`)
	for _, r := range s.App.Deps.Shell.Router.Routes() {
		if !strings.HasPrefix(r.Path, "/kesehatan") && !strings.HasPrefix(r.Path, "/fhir") && !strings.Contains(r.Path, "/health") &&
			!strings.Contains(r.Path, "growth") && r.Path != "/kalkulator-gizi" {
			continue
		}
		for _, path := range []string{fill.ReplaceAllString(r.Path, "1"), fill.ReplaceAllString(r.Path, "pkm-oesapa"), fill.ReplaceAllString(r.Path, "m1-weight")} {
			for name, h := range callers {
				ct := ""
				if r.Method == http.MethodPost {
					ct = "application/x-www-form-urlencoded"
				}
				resp, body := apptest.Do(t, s.Client(), r.Method, s.URL+path, ct, "", h)
				if resp.StatusCode >= 500 {
					t.Errorf("%s %s as %s = %d %.200s", r.Method, path, name, resp.StatusCode, body)
				}
			}
		}
	}
}

var (
	rawKey    = regexp.MustCompile(`health\.[a-z_]+(\.[a-z0-9_+-]+)*`)
	staticURL = regexp.MustCompile(`/static/[^"]+`)
)

// TestPagesRender opens every page as a puskesmas worker, Dinas
// Kesehatan's supervisor and the mayor (reports only), in both languages.
func TestPagesRender(t *testing.T) {
	s := startDemo(t)
	records := []string{"/kesehatan/pasien", "/kesehatan/pasien?q=a", "/kesehatan/pasien/baru", "/kesehatan/antrean", "/kesehatan/obat",
		"/kesehatan/gizi/tindak-lanjut", "/kesehatan/gizi/tindak-lanjut?page=2", "/kesehatan/kunjungan-rumah", "/kesehatan/kunjungan-rumah?status=done"}
	reports := []string{"/kesehatan", "/kesehatan/laporan", "/kesehatan/laporan?pkm=all&month=2026-11", "/kesehatan/obat/lplpo",
		"/kesehatan/obat/lplpo?format=csv", "/kesehatan/skdr", "/kesehatan/skdr?week=2026-11-01", "/kesehatan/gizi/peta", "/kesehatan/gizi/peta?indicator=wasting"}
	for _, who := range []string{"pkm.oesapa", "dinkes.supervisor", "walikota"} {
		for _, lang := range []string{"id", "en"} {
			b := signIn(t, s, who)
			b.get("/bahasa/" + lang + "?next=/")
			paths := reports
			if who != "walikota" {
				paths = append(paths, records...)
			}
			for _, p := range paths {
				resp, body := b.get(p)
				if who == "pkm.oesapa" && strings.Contains(p, "pkm=all") {
					if resp.StatusCode != 403 {
						t.Errorf("%s as a puskesmas worker = %d, want 403 (city-wide)", p, resp.StatusCode)
					}
					continue
				}
				if resp.StatusCode != 200 {
					t.Errorf("%s as %s (%s) = %d", p, who, lang, resp.StatusCode)
				}
				if k := rawKey.FindString(staticURL.ReplaceAllString(body, "")); k != "" && !strings.Contains(p, "csv") {
					t.Errorf("%s as %s (%s) shows a raw message key: %s", p, who, lang, k)
				}
			}
		}
	}
	// A patient page, a visit page and a child page of the demo.
	b := signIn(t, s, "pkm.oesapa")
	_, page := b.get("/kesehatan/gizi/tindak-lanjut")
	m := regexp.MustCompile(`/kesehatan/anak/(\d+)`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no child on the demo follow-up list")
	}
	for _, p := range []string{"/kesehatan/anak/" + m[1], "/kesehatan/pasien/" + m[1]} {
		if resp, _ := b.get(p); resp.StatusCode != 200 {
			t.Errorf("%s = %d", p, resp.StatusCode)
		}
	}
	_, page = b.get("/kesehatan/antrean")
	if v := visitLink.FindStringSubmatch(page); v == nil {
		t.Error("no visit on the demo queue")
	} else if resp, _ := b.get("/kesehatan/kunjungan/" + v[1] + "?cari=ispa"); resp.StatusCode != 200 {
		t.Errorf("visit page = %d", resp.StatusCode)
	}
}
