package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	_ "github.com/sodamolek/sodamolek/internal/identity"
	_ "github.com/sodamolek/sodamolek/internal/modules"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/reports"
)

const demoPassword = "demo-kupang-2026"

// Places in Kupang used by the tests.
var (
	// Outside the city (the open sea north-east of Kupang).
	outside = [2]float64{-10.02, 123.87}
)

// kelurahanCentroid reads a kelurahan's centroid from the region profile,
// so the tests do not hard-code coordinates that the data may move.
func kelurahanCentroid(t *testing.T, s *apptest.Server, code string) [2]float64 {
	t.Helper()
	k, ok := s.App.Deps.Regions.Lookup(code)
	if !ok {
		t.Fatalf("no kelurahan %s", code)
	}
	return [2]float64{k.Lat, k.Lon}
}

func start(t *testing.T, demo bool) *apptest.Server {
	t.Helper()
	var args []string
	if demo {
		args = []string{"--demo"}
	}
	s := apptest.Start(t, apptest.Options{Args: args})
	relax(t, s)
	return s
}

// relax raises the module's per-IP rate limits: a test sends far more
// requests from one address than a resident would.
func relax(t *testing.T, s *apptest.Server) {
	t.Helper()
	for _, l := range module(t, s).RateLimits() {
		l.Burst, l.Rate = 100000, 100000
	}
}

func module(t *testing.T, s *apptest.Server) *reports.Module {
	t.Helper()
	for _, m := range s.App.Modules {
		if r, ok := m.(*reports.Module); ok {
			return r
		}
	}
	t.Fatal("reports module not registered")
	return nil
}

// browser is a cookie-keeping client that echoes the CSRF token the way
// a browser form or the page's fetch calls do.
type browser struct {
	t    *testing.T
	s    *apptest.Server
	c    *http.Client
	csrf string
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newBrowser(t *testing.T, s *apptest.Server) *browser {
	b := &browser{t: t, s: s, c: s.Client()}
	b.get("/lapor")
	return b
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

func (b *browser) learn(body string) {
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	} else if m := csrfMeta.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, body := apptest.Get(b.t, b.c, b.s.URL+path)
	b.learn(body)
	return resp, body
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", b.csrf)
	}
	resp, body := apptest.Do(b.t, b.c, http.MethodPost, b.s.URL+path, "application/x-www-form-urlencoded", form.Encode(), nil)
	b.learn(body)
	return resp, body
}

type upload struct {
	field, name string
	data        []byte
}

func (b *browser) postMultipart(path string, form url.Values, files ...upload) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", b.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile(f.field, f.name)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	resp, body := apptest.Do(b.t, b.c, http.MethodPost, b.s.URL+path, mw.FormDataContentType(), buf.String(), nil)
	b.learn(body)
	return resp, body
}

// api sends JSON with the CSRF header (as the page's script does).
func (b *browser) api(method, path string, body any, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var raw string
	if body != nil {
		j, _ := json.Marshal(body)
		raw = string(j)
	}
	h := http.Header{}
	for k, v := range header {
		h[k] = v
	}
	if b.csrf == "" {
		// A visitor without a session echoes the anti-forgery cookie.
		u, _ := url.Parse(b.s.URL)
		for _, c := range b.c.Jar.Cookies(u) {
			if c.Name == "smk_csrf" {
				b.csrf = c.Value
			}
		}
	}
	h.Set("X-CSRF-Token", b.csrf)
	return apptest.Do(b.t, b.c, method, b.s.URL+path, "application/json", raw, h)
}

func signIn(t *testing.T, s *apptest.Server, username, password string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	b.get("/masuk")
	resp, body := b.post("/masuk", url.Values{"username": {username}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Fatalf("sign in as %s = %d %s\n%s", username, resp.StatusCode, resp.Header.Get("Location"), tail(body))
	}
	b.get("/petugas/laporan")
	return b
}

// staff creates a staff account (as the command line would).
func staff(t *testing.T, s *apptest.Server, username, unit, email string, roles ...string) {
	t.Helper()
	_, err := s.App.Deps.Auth.CreateStaff(context.Background(), nil, auth.NewStaff{Username: username, Name: "Test " + username,
		Email: email, UnitCode: unit, Password: demoPassword, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

func wantStatus(t *testing.T, what string, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s = %d, want %d\n%s", what, resp.StatusCode, want, tail(body))
	}
}

// pngPhoto is a small valid PNG.
func pngPhoto(t *testing.T, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), seed, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type created struct {
	ID           int64  `json:"id"`
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
	Agency       string `json:"agency"`
	Kelurahan    string `json:"kelurahan"`
}

// report files a report through the JSON API and returns the answer.
func report(t *testing.T, b *browser, body map[string]any, header http.Header) created {
	t.Helper()
	resp, raw := b.api(http.MethodPost, "/api/v1/reports", body, header)
	wantStatus(t, "POST /api/v1/reports", resp, raw, http.StatusCreated)
	var c created
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

type view struct {
	TrackingCode string `json:"tracking_code"`
	Category     string `json:"category"`
	Status       string `json:"status"`
	Kelurahan    string `json:"kelurahan"`
	Agency       string `json:"agency"`
	Privacy      string `json:"privacy"`
	Supporters   int    `json:"supporters"`
	Timeline     []struct {
		At     time.Time `json:"at"`
		Kind   string    `json:"kind"`
		Status string    `json:"status"`
		Note   string    `json:"note"`
		Photos []string  `json:"photos"`
	} `json:"timeline"`
	Photos []string `json:"photos"`
}

func track(t *testing.T, b *browser, code string) view {
	t.Helper()
	resp, raw := b.get("/api/v1/reports/" + code)
	wantStatus(t, "GET /api/v1/reports/"+code, resp, raw, http.StatusOK)
	var v view
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func strconvItoa(n int64) string { return strconv.FormatInt(n, 10) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

// newStaff creates an officer (or the given roles) of a unit and signs
// them in.
func newStaff(t *testing.T, s *apptest.Server, username, unit string, roles ...string) *browser {
	t.Helper()
	if len(roles) == 0 {
		roles = []string{"officer"}
	}
	staff(t, s, username, unit, "", roles...)
	return signIn(t, s, username, demoPassword)
}
