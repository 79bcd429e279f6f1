package identity

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
)

var secretOnPage = regexp.MustCompile(`<code class="secret"[^>]*>([A-Z2-7]+)</code>`)

func secretOf(t *testing.T, body string) string {
	t.Helper()
	m := secretOnPage.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no TOTP secret on the page")
	}
	return m[1]
}

func (h *harness) totpCode(secret string) string {
	h.t.Helper()
	code, err := totp.GenerateCode(secret, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return code
}

func TestTOTPEnrolSignInAndReplay(t *testing.T) {
	h := start(t)
	rina := h.staff("rina", "dlhk", "officer")
	b := h.browser()
	b.signInStaff("rina", "rina-password")

	resp, body := b.get("/akun/totp")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/akun/totp = %d", resp.StatusCode)
	}
	secret := secretOf(t, body)
	if !strings.Contains(body, "otpauth://totp/") {
		t.Fatal("no otpauth URL on the page")
	}
	if _, again := b.get("/akun/totp"); secretOf(t, again) != secret {
		t.Fatal("reloading the page changed the secret")
	}
	resp, body = b.postFrom("/akun/totp", "/akun/totp", url.Values{"code": {"000000"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Kode salah") {
		t.Fatalf("wrong enrolment code: %d", resp.StatusCode)
	}
	enrolCode := h.totpCode(secret)
	resp, _ = b.postFrom("/akun/totp", "/akun/totp", url.Values{"code": {enrolCode}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/akun?ok=totp_on" {
		t.Fatalf("enrol: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Next sign-in asks for a code; the half-open session is good for
	// nothing else.
	c := h.browser()
	resp = c.signInStaff("rina", "rina-password")
	if loc := resp.Header.Get("Location"); loc != "/masuk/verifikasi" {
		t.Fatalf("after password: %s", loc)
	}
	pending := c.session()
	if resp, _ := c.get("/akun"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Fatalf("/akun while half signed in: %d", resp.StatusCode)
	}
	// The code used for enrolment cannot be used again.
	resp, _ = c.postFrom("/masuk/verifikasi", "/masuk/verifikasi", url.Values{"code": {enrolCode}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed enrolment code: %d", resp.StatusCode)
	}
	h.clock.Advance(30 * time.Second)
	code := h.totpCode(secret)
	resp, _ = c.postFrom("/masuk/verifikasi", "/masuk/verifikasi", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code: %d", resp.StatusCode)
	}
	if c.session() == pending || c.session() == "" {
		t.Fatal("the session was not rotated after the second factor")
	}
	if resp, _ := c.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatalf("/akun after TOTP: %d", resp.StatusCode)
	}

	// Another browser cannot replay that code within its 30 seconds.
	d := h.browser()
	d.signInStaff("rina", "rina-password")
	if resp, _ := d.postFrom("/masuk/verifikasi", "/masuk/verifikasi", url.Values{"code": {code}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", resp.StatusCode)
	}

	// The API asks for the code too.
	api := h.browser()
	resp, body = api.api("POST", "/api/v1/auth/login", "", `{"username":"rina","password":"rina-password"}`)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"totp_required"`) {
		t.Fatalf("API without code: %d %s", resp.StatusCode, body)
	}
	resp, body = api.api("POST", "/api/v1/auth/login", "", `{"username":"rina","password":"rina-password","totp":"`+code+`"}`)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"invalid_credentials"`) {
		t.Fatalf("API with a replayed code: %d %s", resp.StatusCode, body)
	}
	h.clock.Advance(30 * time.Second)
	resp, body = api.api("POST", "/api/v1/auth/login", "", `{"username":"rina","password":"rina-password","totp":"`+h.totpCode(secret)+`"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("API with a fresh code: %d %s", resp.StatusCode, body)
	}

	// Switching it off needs a current code.
	h.clock.Advance(30 * time.Second)
	resp, body = c.get("/akun/totp")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/akun/totp/nonaktif") {
		t.Fatalf("manage page: %d", resp.StatusCode)
	}
	resp, _ = c.postFrom("/akun/totp", "/akun/totp/nonaktif", url.Values{"code": {h.totpCode(secret)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp := h.browser().signInStaff("rina", "rina-password"); resp.Header.Get("Location") != "/" {
		t.Fatal("still asked for a code after switching TOTP off")
	}
	actions := h.auditActions(audit.Filter{ObjectType: "user", ObjectID: audit.ObjectID(rina.ID)})
	for _, want := range []string{"user.totp_started", "user.totp_enabled", "user.totp_disabled"} {
		if count(actions, want) != 1 {
			t.Errorf("%s recorded %d times: %v", want, count(actions, want), actions)
		}
	}
}

func TestAdministratorMustEnrolTOTP(t *testing.T) {
	h := start(t)
	h.staff("kota.admin", "pemkot", "admin")
	b := h.browser()
	resp := b.signInStaff("kota.admin", "kota.admin-password")
	if loc := resp.Header.Get("Location"); loc != "/masuk/totp-baru" {
		t.Fatalf("admin without TOTP went to %q", loc)
	}
	for _, path := range []string{"/akun", "/akun/totp"} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s before enrolling: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := b.get("/masuk"); resp.Header.Get("Location") != "/masuk/totp-baru" {
		t.Errorf("/masuk did not send the admin back to enrol: %s", resp.Header.Get("Location"))
	}
	resp, body := h.browser().api("POST", "/api/v1/auth/login", "", `{"username":"kota.admin","password":"kota.admin-password"}`)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `"totp_enrolment_required"`) {
		t.Fatalf("API login before enrolling: %d %s", resp.StatusCode, body)
	}
	resp, body = b.get("/masuk/totp-baru")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "wajib") {
		t.Fatalf("enrol page: %d", resp.StatusCode)
	}
	secret := secretOf(t, body)
	pending := b.session()
	resp, _ = b.postFrom("/masuk/totp-baru", "/masuk/totp-baru", url.Values{"code": {h.totpCode(secret)}})
	if resp.StatusCode != http.StatusSeeOther || b.session() == pending {
		t.Fatalf("enrol: %d (rotated: %v)", resp.StatusCode, b.session() != pending)
	}
	if resp, _ := b.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatalf("/akun after enrolling: %d", resp.StatusCode)
	}
	h.clock.Advance(30 * time.Second)
	resp, body = b.postFrom("/akun/totp", "/akun/totp/nonaktif", url.Values{"code": {h.totpCode(secret)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "tidak bisa dimatikan") {
		t.Fatalf("admin switching TOTP off: %d", resp.StatusCode)
	}
}
