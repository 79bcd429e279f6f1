package identity

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	h := start(t)
	h.staff("yanti", "dlhk", "officer")
	signedIn := func(b *browser) bool {
		resp, _ := b.get("/akun")
		return resp.StatusCode == http.StatusOK
	}

	// Staff: 2 hours idle.
	idle := h.browser()
	idle.signInStaff("yanti", "yanti-password")
	h.clock.Advance(2*time.Hour + time.Minute)
	if signedIn(idle) {
		t.Fatal("staff session survived 2 h idle")
	}

	// Staff: activity keeps it alive, but never beyond 12 hours.
	busy := h.browser()
	busy.signInStaff("yanti", "yanti-password")
	for range 6 {
		h.clock.Advance(time.Hour + 55*time.Minute)
		if !signedIn(busy) {
			t.Fatalf("active staff session ended at %v", h.clock.Now())
		}
	}
	h.clock.Advance(31 * time.Minute) // 12 h 01 min after sign-in
	if signedIn(busy) {
		t.Fatal("staff session outlived 12 h")
	}

	// Citizens: 30 days idle, 90 days in all.
	c := h.browser()
	c.signInCitizen("+6281234567003")
	for range 3 {
		h.clock.Advance(29 * 24 * time.Hour)
		if !signedIn(c) {
			t.Fatalf("citizen session ended at %v", h.clock.Now())
		}
	}
	h.clock.Advance(3*24*time.Hour + time.Hour)
	if signedIn(c) {
		t.Fatal("citizen session outlived 90 days")
	}
	d := h.browser()
	d.signInCitizen("+6281234567004")
	h.clock.Advance(30*24*time.Hour + time.Hour)
	if signedIn(d) {
		t.Fatal("citizen session survived 30 days idle")
	}
}

func TestSignInRotatesTheSession(t *testing.T) {
	h := start(t)
	h.staff("agus", "dlhk", "officer")
	b := h.browser()
	b.signInCitizen("+6281234567005")
	before := b.session()
	// Signed in, the sign-in page redirects; the form is posted with the
	// token of the current session, as from an old tab.
	resp, _ := b.postFrom("/akun", "/masuk", url.Values{"username": {"agus"}, "password": {"agus-password"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	after := b.session()
	if before == "" || after == "" || before == after {
		t.Fatal("sign-in did not issue a new session token")
	}
	// The earlier token (say one an attacker planted or copied) is dead.
	if p, err := h.svc.SessionPrincipal(h.ctx(), before); err != nil || p != nil {
		t.Fatalf("old session still resolves: %+v %v", p, err)
	}
	planted := h.browser()
	u, _ := url.Parse(h.srv.URL)
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: before}})
	if resp, _ := planted.get("/akun"); resp.StatusCode == http.StatusOK {
		t.Fatal("the pre-sign-in token still signs in")
	}
}

func TestSignOutAndSignOutEverywhere(t *testing.T) {
	h := start(t)
	h.staff("dewi", "dlhk", "officer")
	phone, laptop := h.browser(), h.browser()
	phone.signInStaff("dewi", "dewi-password")
	laptop.signInStaff("dewi", "dewi-password")
	api := h.browser()
	_, body := api.api("POST", "/api/v1/auth/login", "", `{"username":"dewi","password":"dewi-password"}`)
	token := strings.Split(strings.Split(body, `"token":"`)[1], `"`)[0]

	resp, body := laptop.get("/akun")
	if resp.StatusCode != http.StatusOK || strings.Count(body, "<tr><td>") < 2 || !strings.Contains(body, "perangkat ini") {
		t.Fatalf("sessions list: %d", resp.StatusCode)
	}
	resp, _ = phone.postFrom("/akun", "/keluar", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}
	if resp, _ := phone.get("/akun"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("still signed in after signing out")
	}
	if resp, _ := laptop.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatal("signing out one device signed out the other")
	}
	resp, _ = laptop.postFrom("/akun", "/akun/keluar-semua", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", resp.StatusCode)
	}
	if resp, _ := laptop.get("/akun"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("still signed in after signing out everywhere")
	}
	if resp, _ := api.api("GET", "/api/v1/me", token, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatal("API token survived sign-out everywhere")
	}
	actions := h.auditActions(audit.Filter{})
	for _, want := range []string{"session.signed_out", "session.signed_out_everywhere"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in the audit log", want)
		}
	}
}

func TestFormsWithoutTheCSRFTokenAreRefused(t *testing.T) {
	h := start(t)
	b := h.browser()
	b.signInCitizen("+6281234567006")
	for _, path := range []string{"/akun/profil", "/akun/data", "/akun/hapus", "/keluar"} {
		if resp, _ := b.postRaw(path, url.Values{"name": {"x"}, "confirm": {"ya"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without token: %d", path, resp.StatusCode)
		}
		if resp, _ := b.postRaw(path, url.Values{"csrf_token": {"forged-forged-forged-forged-forged"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s with a forged token: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := h.browser().postRaw("/masuk", url.Values{"username": {"a"}, "password": {"b"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous POST /masuk without token: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatal("the refused requests changed the session")
	}
}

func TestBearerTokenLogoutRevokes(t *testing.T) {
	h := start(t)
	h.staff("fransiska", "dinkes", "officer")
	api := h.browser()
	_, body := api.api("POST", "/api/v1/auth/login", "", `{"username":"fransiska","password":"fransiska-password"}`)
	token := strings.Split(strings.Split(body, `"token":"`)[1], `"`)[0]
	if resp, _ := api.api("GET", "/api/v1/me", token, ""); resp.StatusCode != http.StatusOK {
		t.Fatal("token does not work")
	}
	if resp, body := api.api("POST", "/api/v1/auth/logout", token, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d %s", resp.StatusCode, body)
	}
	if resp, _ := api.api("GET", "/api/v1/me", token, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatal("revoked token still works")
	}
	if resp, _ := api.api("POST", "/api/v1/auth/logout", token, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatal("logout with a revoked token")
	}
	// Tokens expire after 12 hours.
	_, body = api.api("POST", "/api/v1/auth/login", "", `{"username":"fransiska","password":"fransiska-password"}`)
	token = strings.Split(strings.Split(body, `"token":"`)[1], `"`)[0]
	h.clock.Advance(12*time.Hour + time.Second)
	if resp, _ := api.api("GET", "/api/v1/me", token, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatal("token outlived 12 hours")
	}
	if !slices.Contains(h.auditActions(audit.Filter{}), "token.revoked") {
		t.Error("no token.revoked audit row")
	}
}

func TestSignInRateLimitPerIP(t *testing.T) {
	h := start(t)
	b := h.browser()
	var last *http.Response
	var body string
	for i := range 7 {
		phone := "+62812345671" + string(rune('0'+i)) + "0"
		last, body = b.postFrom("/masuk?tab=warga", "/masuk/warga", url.Values{"phone": {phone}})
		if i < 6 && last.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, last.StatusCode)
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" || !strings.Contains(body, "Terlalu banyak") {
		t.Fatalf("7th code request from one address: %d %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	// Another address is not affected.
	if resp, _ := h.browser().postFrom("/masuk?tab=warga", "/masuk/warga", url.Values{"phone": {"+6281234567199"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("other address: %d", resp.StatusCode)
	}
	// The API login has the same per-IP limit.
	api := h.browser()
	for range 10 {
		api.api("POST", "/api/v1/auth/login", "", `{"username":"x","password":"y"}`)
	}
	resp, body := api.api("POST", "/api/v1/auth/login", "", `{"username":"x","password":"y"}`)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, `"rate_limited"`) {
		t.Fatalf("11th API login: %d %s", resp.StatusCode, body)
	}
}
