package apptest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// DemoPassword is the demo staff password (docs/demo-accounts.md).
const demoPassword = "demo-kupang-2026"

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signInForm signs in through the staff form like a browser: fetch the
// page (anti-forgery cookie and token), then post the form.
func signInForm(t *testing.T, s *apptest.Server, c *http.Client, username string) {
	t.Helper()
	_, page := apptest.Get(t, c, s.URL+"/masuk")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("sign-in page has no CSRF token")
	}
	form := url.Values{"csrf_token": {m[1]}, "username": {username}, "password": {demoPassword}}
	resp, body := apptest.Do(t, c, "POST", s.URL+"/masuk", "application/x-www-form-urlencoded", form.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in as %s = %d %.300s", username, resp.StatusCode, body)
	}
}

// apiToken signs in through the JSON API and returns the bearer token.
func apiToken(t *testing.T, s *apptest.Server, username string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": demoPassword})
	resp, out := apptest.Do(t, s.Client(), "POST", s.URL+"/api/v1/auth/login", "application/json", string(body), nil)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(out), &tok); err != nil || resp.StatusCode != 200 || tok.Token == "" {
		t.Fatalf("login %s = %d %s", username, resp.StatusCode, out)
	}
	return tok.Token
}

func testSessionSharedAcrossServers(t *testing.T, a, b *apptest.Server) {
	t.Helper()
	// A web session made on server A is valid on server B.
	c := a.Client()
	signInForm(t, a, c, "dlhk.officer")
	u, _ := url.Parse(a.URL)
	var session *http.Cookie
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "smk_session" {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie after signing in on server A")
	}
	req, _ := http.NewRequest("GET", b.URL+"/akun", nil)
	req.AddCookie(session)
	resp, err := b.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("server B refused server A's session: %d", resp.StatusCode)
	}
	// A bearer token issued by B works on A, and revoking it on A ends it on B.
	token := apiToken(t, b, "walikota")
	h := http.Header{"Authorization": {"Bearer " + token}}
	resp, body := apptest.Do(t, a.Client(), "GET", a.URL+"/api/v1/me", "", "", h)
	if resp.StatusCode != 200 || !strings.Contains(body, `"username":"walikota"`) {
		t.Fatalf("me on A with B's token = %d %s", resp.StatusCode, body)
	}
	resp, _ = apptest.Do(t, a.Client(), "POST", a.URL+"/api/v1/auth/logout", "", "", h)
	if resp.StatusCode >= 300 {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	// Other servers may keep a resolved token for the cache TTL (seconds).
	b.Clock.Advance(time.Minute)
	resp, _ = apptest.Do(t, b.Client(), "GET", b.URL+"/api/v1/me", "", "", h)
	if resp.StatusCode != 401 {
		t.Fatalf("revoked token still valid on B: %d", resp.StatusCode)
	}
}
