package apptest_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// staffRoles maps each staff role to its demo account (docs/demo-accounts.md).
var staffRoles = map[string]string{
	"admin":        "admin",
	"unit_admin":   "dlhk.admin",
	"officer":      "dlhk.officer",
	"supervisor":   "dlhk.supervisor",
	"executive":    "walikota",
	"health_staff": "pkm.oesapa",
	"enumerator":   "enumerator",
	"employee":     "asn.kominfo",
	"taxpayer":     "wp.hotel",
}

// keyScopes are the API key scopes integrations use.
var keyScopes = []string{"open311", "gateway", "fhir", "pos", "bank"}

// actor is one caller of the matrix: how to authenticate and its name.
type actor struct {
	name   string
	header http.Header
	cookie *http.Cookie
}

// TestAccessMatrix walks every registered route with every role (a demo
// account per role, a citizen, an anonymous visitor and an API key per
// scope) and checks the route-level decision against
// testdata/access_matrix.txt. Requests carry no CSRF token and dummy path
// values: what is checked is only whether the route's access rule let the
// caller through (web.DeniedHeader marks a refusal).
func TestAccessMatrix(t *testing.T) {
	expected := readMatrix(t)
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	actors := []actor{{name: "anonymous"}}
	roles := make([]string, 0, len(staffRoles))
	for role := range staffRoles {
		roles = append(roles, role)
	}
	sort.Strings(roles)
	for _, role := range roles {
		actors = append(actors, actor{name: role, header: http.Header{"Authorization": {"Bearer " + apiToken(t, s, staffRoles[role])}}})
	}
	actors = append(actors, actor{name: "citizen", cookie: citizenSession(t, s, "081234567890")})
	for _, scope := range keyScopes {
		plain, _, err := s.App.Deps.Auth.CreateAPIKey(context.Background(), nil, "matrix "+scope, []string{scope})
		if err != nil {
			t.Fatal(err)
		}
		actors = append(actors, actor{name: "key:" + scope, header: http.Header{"Authorization": {"Bearer " + plain}}})
	}

	routes := s.App.Deps.Shell.Router.Routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		seen[key] = true
		allowed, ok := expected[key]
		if !ok {
			t.Errorf("route %s (%s) is not in testdata/access_matrix.txt", key, rt.Access)
			continue
		}
		for _, a := range actors {
			// Sign-out ends the session the rest of the walk relies on.
			if key == "POST /api/v1/auth/logout" || key == "POST /akun/keluar-semua" || key == "POST /akun/hapus" || key == "POST /keluar" {
				continue
			}
			denied := requestAs(t, s, a, rt.Method, fillPath(rt.Path))
			want := allowed[a.name]
			if denied == want {
				verdict := "allowed"
				if denied {
					verdict = "denied"
				}
				t.Errorf("%s as %s: %s, want the opposite (access rule %s)", key, a.name, verdict, rt.Access)
			}
		}
	}
	for key := range expected {
		if !seen[key] {
			t.Errorf("testdata/access_matrix.txt lists %s, which no longer exists", key)
		}
	}
}

func requestAs(t *testing.T, s *apptest.Server, a actor, method, path string) (denied bool) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range a.header {
		req.Header[k] = v
	}
	if a.cookie != nil {
		req.AddCookie(a.cookie)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s as %s: status %d", method, path, a.name, resp.StatusCode)
	}
	return resp.Header.Get(web.DeniedHeader) != ""
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// fillPath gives path parameters plausible values.
func fillPath(p string) string {
	p = strings.TrimSuffix(p, "{$}")
	return pathParam.ReplaceAllStringFunc(p, func(m string) string {
		switch strings.Trim(m, "{}.") {
		case "lang":
			return "id"
		case "path":
			return "css/app.css"
		case "code":
			return "dlhk"
		default:
			return "1"
		}
	})
}

func readMatrix(t *testing.T) map[string]map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/access_matrix.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	staff := make([]string, 0, len(staffRoles))
	for r := range staffRoles {
		staff = append(staff, r)
	}
	everyone := append(append([]string{"anonymous", "citizen"}, staff...), scopedKeys()...)
	out := map[string]map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 3 {
			t.Fatalf("access_matrix.txt line %d: want METHOD PATH WHO…", line)
		}
		key := fields[0] + " " + fields[1]
		allowed := map[string]bool{}
		for _, who := range fields[2:] {
			switch who {
			case "*":
				for _, n := range everyone {
					allowed[n] = true
				}
			case "signed-in":
				allowed["citizen"] = true
				for _, n := range staff {
					allowed[n] = true
				}
			case "staff":
				for _, n := range staff {
					allowed[n] = true
				}
			default:
				if _, ok := staffRoles[who]; !ok && who != "citizen" && !strings.HasPrefix(who, "key:") {
					t.Fatalf("access_matrix.txt line %d: unknown role %q", line, who)
				}
				allowed[who] = true
			}
		}
		out[key] = allowed
	}
	return out
}

func scopedKeys() []string {
	var out []string
	for _, s := range keyScopes {
		out = append(out, "key:"+s)
	}
	return out
}

// citizenSession signs a citizen in with a one-time code, like a phone
// would, and returns the session cookie.
func citizenSession(t *testing.T, s *apptest.Server, phone string) *http.Cookie {
	t.Helper()
	c := s.Client()
	_, page := apptest.Get(t, c, s.URL+"/masuk")
	token := csrfInput.FindStringSubmatch(page)[1]
	resp, body := apptest.Do(t, c, "POST", s.URL+"/masuk/warga", "application/x-www-form-urlencoded",
		url.Values{"csrf_token": {token}, "phone": {phone}}.Encode(), nil)
	if resp.StatusCode >= 400 {
		t.Fatalf("request code = %d %.300s", resp.StatusCode, body)
	}
	s.RunJobs(t)
	msgs := s.Outbox.Messages()
	if len(msgs) == 0 {
		t.Fatal("no one-time code was sent")
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[len(msgs)-1].Body)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		token = m[1]
	}
	form := url.Values{"csrf_token": {token}, "phone": {phone}, "code": {code}}
	resp, body = apptest.Do(t, c, "POST", s.URL+"/masuk/warga/kode", "application/x-www-form-urlencoded", form.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify code = %d %.400s", resp.StatusCode, body)
	}
	u, _ := url.Parse(s.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == web.SessionCookie {
			return ck
		}
	}
	t.Fatal("no session cookie after verifying the code")
	return nil
}
