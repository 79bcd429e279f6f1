package apptest_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	_ "github.com/sodamolek/sodamolek/internal/modules"
)

func TestOperationsEndpoints(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	c := s.Client()
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		resp, body := apptest.Get(t, c, s.URL+path)
		if resp.StatusCode != 200 || strings.TrimSpace(body) != want {
			t.Errorf("%s = %d %q", path, resp.StatusCode, body)
		}
	}
	apptest.Get(t, c, s.URL+"/api/v1/regions")
	resp, body := apptest.Get(t, c, s.URL+"/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics = %d", resp.StatusCode)
	}
	for _, metric := range []string{
		`sodamolek_http_requests_total{route="GET /api/v1/regions",status="200"} 1`,
		`sodamolek_http_request_duration_seconds_bucket{route="GET /api/v1/regions"`,
		`sodamolek_db_open_connections{pool="writer"}`,
		`sodamolek_jobs{state=`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, metric) {
			t.Errorf("/metrics lacks %s", metric)
		}
	}
}

func TestRegionsContract(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	c := s.Client()
	_, body := apptest.Get(t, c, s.URL+"/api/v1/regions")
	var got struct {
		Kecamatan []struct {
			Code, Name string
			Kelurahan  []struct{ Code, Name string }
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	kel := 0
	for _, k := range got.Kecamatan {
		if k.Code == "" || k.Name == "" {
			t.Errorf("kecamatan without code or name: %+v", k)
		}
		kel += len(k.Kelurahan)
	}
	if len(got.Kecamatan) != 6 || kel != 51 {
		t.Fatalf("%d kecamatan, %d kelurahan", len(got.Kecamatan), kel)
	}

	// El Tari airport lies in Penfui, kecamatan Maulafa.
	resp, body := apptest.Get(t, c, s.URL+"/api/v1/regions/locate?lat=-10.1716&lon=123.6711")
	if resp.StatusCode != 200 || !strings.Contains(body, `"kelurahan":{"code":"53.71.02.1003","name":"Penfui"}`) ||
		!strings.Contains(body, `"kecamatan":{"code":"53.71.02","name":"Maulafa"}`) {
		t.Fatalf("locate airport = %d %s", resp.StatusCode, body)
	}
	// Outside the city: 422, the standard error body, a message saying so.
	resp, body = apptest.Get(t, c, s.URL+"/api/v1/regions/locate?lat=-10.02&lon=123.87")
	var e struct {
		Error struct {
			Code, Message string
			Fields        map[string]string
		}
	}
	json.Unmarshal([]byte(body), &e)
	if resp.StatusCode != 422 || e.Error.Code != "outside_city" || !strings.Contains(e.Error.Message, "di luar Kota Kupang") || e.Error.Fields["location"] == "" {
		t.Fatalf("outside = %d %s", resp.StatusCode, body)
	}
	// English when asked.
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/regions/locate?lat=-10.02&lon=123.87", nil)
	req.Header.Set("Accept-Language", "en")
	r2, _ := c.Do(req)
	b2, _ := io.ReadAll(r2.Body)
	r2.Body.Close()
	if !strings.Contains(string(b2), "outside Kota Kupang") {
		t.Errorf("English message: %s", b2)
	}
	// Malformed parameters: 400 naming the field.
	for q, field := range map[string]string{"lat=abc&lon=123.6": "lat", "lat=-10.1&lon=": "lon", "lat=95&lon=123": "lat", "lon=123.6": "lat", "lat=-10.1&lon=NaN": "lon"} {
		resp, body := apptest.Get(t, c, s.URL+"/api/v1/regions/locate?"+q)
		json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != 400 || e.Error.Fields[field] == "" {
			t.Errorf("locate?%s = %d %s, want 400 naming %s", q, resp.StatusCode, body, field)
		}
	}
}

func TestUnitsContract(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	_, body := apptest.Get(t, s.Client(), s.URL+"/api/v1/units")
	var got struct {
		Units []map[string]any
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	codes := map[string]bool{}
	for _, u := range got.Units {
		for _, k := range []string{"code", "name", "type", "parent_code"} {
			if _, ok := u[k]; !ok {
				t.Fatalf("unit lacks %q: %v", k, u)
			}
		}
		types[u["type"].(string)]++
		codes[u["code"].(string)] = true
	}
	if types["puskesmas"] != 11 || types["kelurahan"] != 51 || types["kecamatan"] != 6 {
		t.Errorf("types = %v", types)
	}
	for _, c := range []string{"dlhk", "damkar", "brigade-sehat", "polresta", "polsek-maulafa", "bpn", "pupr", "dpmptsp", "dinkes"} {
		if !codes[c] {
			t.Errorf("unit %s missing", c)
		}
	}
}

func TestEveryAPIRouteIsDocumented(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	resp, body := apptest.Get(t, s.Client(), s.URL+"/api/v1/openapi.json")
	if resp.StatusCode != 200 || !strings.Contains(body, `"openapi":"3.1.0"`) {
		t.Fatalf("openapi = %d %.200s", resp.StatusCode, body)
	}
	for _, r := range s.App.Deps.Shell.Router.Routes() {
		if !r.API || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		if !s.App.Deps.Shell.OpenAPI.Documented(r.Method, r.Path) {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, r.Path)
		}
	}
}

func TestWebShell(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	c := s.Client()
	resp, body := apptest.Get(t, c, s.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, `lang="id"`) || !strings.Contains(body, "Salam sejahtera") || !strings.Contains(body, `href="/wilayah"`) {
		t.Fatalf("home = %d %.300s", resp.StatusCode, body)
	}
	if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("security headers missing")
	}
	// Static files have hashed names and a year-long immutable cache.
	css := regexp.MustCompile(`/static/css/app\.[0-9a-f]{10}\.css`).FindString(body)
	if css == "" {
		t.Fatal("no hashed stylesheet link")
	}
	req, _ := http.NewRequest("GET", s.URL+css, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	r, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil || r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("stylesheet not gzipped: %v %v", err, r.Header)
	}
	plain, _ := io.ReadAll(zr)
	r.Body.Close()
	if !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.Contains(string(plain), "--brand") {
		t.Errorf("stylesheet headers %v", r.Header)
	}
	// Pages are gzipped for clients that accept it.
	req, _ = http.NewRequest("GET", s.URL+"/wilayah", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	r, _ = c.Do(req)
	r.Body.Close()
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Error("page not gzipped")
	}
	// Friendly 404 page and JSON 404 under /api/.
	resp, body = apptest.Get(t, c, s.URL+"/tidak-ada")
	if resp.StatusCode != 404 || !strings.Contains(body, "Halaman tidak ditemukan") {
		t.Errorf("404 page = %d", resp.StatusCode)
	}
	resp, body = apptest.Get(t, c, s.URL+"/api/v1/tidak-ada")
	if resp.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("404 JSON = %d %s", resp.StatusCode, body)
	}
	// Language switch: English by choice, same-site redirects only.
	resp, _ = apptest.Get(t, c, s.URL+"/bahasa/en?next=/wilayah")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/wilayah" {
		t.Fatalf("switch = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = apptest.Get(t, c, s.URL+"/")
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Services") {
		t.Error("English not applied after the switch")
	}
	resp, _ = apptest.Get(t, c, s.URL+"/bahasa/id?next=//evil.example")
	if resp.Header.Get("Location") != "/" {
		t.Errorf("open redirect: %s", resp.Header.Get("Location"))
	}
	// PWA: manifest and a service worker with the precache list.
	resp, body = apptest.Get(t, c, s.URL+"/manifest.webmanifest")
	if resp.StatusCode != 200 || !strings.Contains(body, `"start_url":"/"`) {
		t.Errorf("manifest = %d %s", resp.StatusCode, body)
	}
	resp, body = apptest.Get(t, c, s.URL+"/sw.js")
	if resp.StatusCode != 200 || !strings.Contains(body, `"/offline"`) || strings.Contains(body, "/*PRECACHE*/") {
		t.Errorf("sw.js = %d %.200s", resp.StatusCode, body)
	}
	resp, body = apptest.Get(t, c, s.URL+"/offline")
	if resp.StatusCode != 200 || !strings.Contains(body, "Offline") && !strings.Contains(body, "offline") {
		t.Errorf("offline page = %d", resp.StatusCode)
	}
}

func TestCatalogsAreComplete(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	if missing := s.App.Deps.Shell.Catalog().Missing(); len(missing) > 0 {
		t.Fatalf("messages missing a translation: %v", missing)
	}
}
