package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

func newTestShell(t *testing.T) *Shell {
	t.Helper()
	s, err := NewShell(Options{Site: Site{Name: "Sodamolek", CityName: "Kota Uji"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDecodeJSONRefusesBadBodies(t *testing.T) {
	s := newTestShell(t)
	type body struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	cases := []struct {
		name, ct, body string
		status         int
		code, field    string
	}{
		{"unknown field", "application/json", `{"name":"a","x":1}`, 400, "unknown_field", "x"},
		{"wrong type", "application/json", `{"age":"tua"}`, 400, "invalid_field", "age"},
		{"syntax", "application/json", `{"name":`, 400, "invalid_json", ""},
		{"empty", "application/json", ``, 400, "invalid_json", ""},
		{"two values", "application/json", `{} {}`, 400, "invalid_json", ""},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", 200) + `"}`, 413, "too_large", ""},
		{"not json", "text/plain", `{}`, 415, "unsupported_media_type", ""},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(c.body))
		r.Header.Set("Content-Type", c.ct)
		var dst body
		err := s.DecodeJSON(httptest.NewRecorder(), r, &dst, 100)
		ae, ok := err.(*APIError)
		if !ok || ae.Status != c.status || ae.Code != c.code || (c.field != "" && ae.Fields[c.field] == "") {
			t.Errorf("%s: got %#v", c.name, err)
		}
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{"name":"Kupang","age":3}`))
	var ok body
	if err := s.DecodeJSON(httptest.NewRecorder(), r, &ok, 0); err != nil || ok.Name != "Kupang" || ok.Age != 3 {
		t.Fatalf("valid body: %v %+v", err, ok)
	}
}

func TestLimitRefusesThenRecovers(t *testing.T) {
	l := NewLimit("t", 60, 2) // one per second after a burst of two
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	l.SetClock(func() time.Time { return now })
	for i := 0; i < 2; i++ {
		if ok, _ := l.AllowKey("a"); !ok {
			t.Fatalf("burst request %d refused", i)
		}
	}
	ok, retry := l.AllowKey("a")
	if ok || retry != 1 {
		t.Fatalf("third request: ok=%v retry=%d", ok, retry)
	}
	if ok, _ := l.AllowKey("b"); !ok {
		t.Fatal("another key shares the bucket")
	}
	now = now.Add(time.Second)
	if ok, _ := l.AllowKey("a"); !ok {
		t.Fatal("not refilled after a second")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/akun": "/akun", "//evil.example": "/", "https://evil.example": "/",
		"/\\evil": "/", "": "/", "/a\r\nSet-Cookie: x": "/"} {
		if got := SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	type key struct {
		At string
		ID int64
	}
	c := EncodeCursor(key{"2026-12-04T00:00:00.000000Z", 42})
	var k key
	if ok, err := DecodeCursor(c, &k); !ok || err != nil || k.ID != 42 {
		t.Fatalf("round trip: %v %v %+v", ok, err, k)
	}
	for _, bad := range []string{"%%%", "bm90IGpzb24", strings.Repeat("A", 1000)} {
		if _, err := DecodeCursor(bad, &k); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(map[string]any{"id": 1}))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		var v map[string]any
		_, _ = DecodeCursor(s, &v)
	})
}

// TestGuardOrder: access first, then CSRF; bearer requests need no token;
// a form with the visitor's token passes.
func TestGuardOrder(t *testing.T) {
	s := newTestShell(t)
	s.SetAuthenticator(fakeAuth{})
	s.Router.Page("POST /ubah", Perm("things.change"), func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "done") })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	post := func(form url.Values, header http.Header, cookies ...*http.Cookie) *http.Response {
		req, _ := http.NewRequest("POST", srv.URL+"/ubah", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header[k] = v
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post(nil, nil); r.StatusCode != 401 || r.Header.Get(DeniedHeader) == "" {
		t.Errorf("anonymous: %d", r.StatusCode)
	}
	if r := post(nil, http.Header{"Authorization": {"Bearer weak"}}); r.StatusCode != 403 || r.Header.Get(DeniedHeader) == "" {
		t.Errorf("without the permission: %d", r.StatusCode)
	}
	if r := post(nil, http.Header{"Authorization": {"Bearer strong"}}); r.StatusCode != 200 {
		t.Errorf("bearer with the permission: %d", r.StatusCode)
	}
	sess := &http.Cookie{Name: SessionCookie, Value: "strong"}
	if r := post(nil, nil, sess); r.StatusCode != 403 || r.Header.Get(DeniedHeader) != "" {
		t.Errorf("session without CSRF token: %d (want a CSRF 403, not an access denial)", r.StatusCode)
	}
	if r := post(url.Values{"csrf_token": {"tok-strong-0123456789abcdef0123456789"}}, nil, sess); r.StatusCode != 200 {
		t.Errorf("session with its token: %d", r.StatusCode)
	}
	if r := post(url.Values{"csrf_token": {"tok-strong-0123456789abcdef0123456789"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}, sess); r.StatusCode != 403 {
		t.Errorf("cross-site form: %d", r.StatusCode)
	}
}

type fakeAuth struct{}

func (fakeAuth) principal(token string) *auth.Principal {
	p := &auth.Principal{Kind: auth.Staff, UserID: 1, Username: token, CSRFToken: "tok-" + token + "-0123456789abcdef0123456789"}
	if token == "strong" {
		p.Grants = []auth.Grant{{Permission: "things.change", Scope: auth.ScopeCity}}
	}
	return p
}

func (f fakeAuth) SessionPrincipal(_ context.Context, token string) (*auth.Principal, error) {
	return f.principal(token), nil
}

func (f fakeAuth) BearerPrincipal(_ context.Context, token string) (*auth.Principal, error) {
	return f.principal(token), nil
}

func TestTextNoDatabaseCanHoldIsRefused(t *testing.T) {
	s := newTestShell(t)
	var got string
	s.Router.API("POST /api/v1/uji", Public, func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Text    string
			Contact struct {
				Name string `json:"name"`
			} `json:"contact"`
		}
		if err := s.DecodeJSON(w, r, &in, 0); err != nil {
			s.WriteAPIError(w, r, err)
			return
		}
		got = in.Text
		w.WriteHeader(http.StatusNoContent)
	}, NoCSRF())
	s.Router.API("GET /api/v1/uji/{code}", Public, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/api/v1/uji", `{"Text":"sampah\u0000liar"}`, 400},
		{"POST", "/api/v1/uji", `{"Text":"ok","contact":{"name":"Ani\u0000"}}`, 400},
		{"POST", "/api/v1/uji", `{"Text":"garis miring \\u0000 bukan NUL"}`, 204},
		{"POST", "/api/v1/uji", `{"Text":"sampah liar"}`, 204},
		{"GET", "/api/v1/uji/LPR%00", "", 400},
		{"GET", "/api/v1/uji/LPR%FF", "", 400},
		{"GET", "/api/v1/uji/LPR?kelurahan=%00", "", 400},
		{"GET", "/api/v1/uji/LPR?kelurahan=Oebobo", "", 204},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s %s = %d %s, want %d", c.method, c.path, c.body, resp.StatusCode, body, c.status)
		}
		if c.status == 400 && (!strings.Contains(string(body), "invalid_text") ||
			strings.Contains(c.body, "contact") && !strings.Contains(string(body), `"contact.name"`)) {
			t.Errorf("%s %s: %s", c.method, c.path, body)
		}
	}
	if got != "sampah liar" {
		t.Errorf("decoded %q", got)
	}
}

func TestBodyOverTheRouteCapIsRefusedBeforeTheForm(t *testing.T) {
	s := newTestShell(t)
	ran := false
	s.Router.Page("POST /unggah", Public, func(w http.ResponseWriter, r *http.Request) { ran = true }, WithMaxBody(4096))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	body := "--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"a.jpg\"\r\n\r\n" +
		strings.Repeat("x", 64<<10) + "\r\n--b--\r\n"
	req, _ := http.NewRequest("POST", srv.URL+"/unggah", strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || ran {
		t.Fatalf("status %d, handler ran %v", resp.StatusCode, ran)
	}
}
