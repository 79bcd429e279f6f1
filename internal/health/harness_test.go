package health_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	_ "github.com/sodamolek/sodamolek/internal/health"
	_ "github.com/sodamolek/sodamolek/internal/modules"
)

const demoPassword = "demo-kupang-2026"

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// browser is a client that keeps cookies and the last CSRF token, as a
// browser's forms would.
type browser struct {
	t    *testing.T
	s    *apptest.Server
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, s *apptest.Server) *browser {
	return &browser{t: t, s: s, c: s.Client()}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, body := apptest.Get(b.t, b.c, b.s.URL+path)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

func (b *browser) post(path string, fields map[string]string) (*http.Response, string) {
	b.t.Helper()
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", b.csrf)
	}
	resp, body := apptest.Do(b.t, b.c, http.MethodPost, b.s.URL+path, "application/x-www-form-urlencoded", form.Encode(), nil)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

// signIn signs in through the staff form.
func signIn(t *testing.T, s *apptest.Server, username string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	b.get("/masuk")
	resp, body := b.post("/masuk", map[string]string{"username": username, "password": demoPassword})
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Fatalf("sign in as %s = %d %s\n%.500s", username, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return b
}

// token signs in through the JSON API and returns a bearer token.
func token(t testing.TB, s *apptest.Server, username string) string {
	t.Helper()
	resp, body := apptest.Do(t, s.Client(), http.MethodPost, s.URL+"/api/v1/auth/login", "application/json",
		`{"username":"`+username+`","password":"`+demoPassword+`"}`, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("login %s = %d %s", username, resp.StatusCode, body)
	}
	var out struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal([]byte(body), &out)
	return out.Token
}

// fhirKey creates an API key with scope fhir.
func fhirKey(t testing.TB, s *apptest.Server) http.Header {
	t.Helper()
	plain, _, err := s.App.Deps.Auth.CreateAPIKey(context.Background(), nil, "fhir test", []string{"fhir"})
	if err != nil {
		t.Fatal(err)
	}
	return http.Header{"Authorization": {"Bearer " + plain}}
}

var recallForm = regexp.MustCompile(`action="(/kesehatan/antrean/\d+/ulang)"`)
