package identity

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

func TestCitizenOneTimeCode(t *testing.T) {
	h := start(t)
	const phone = "+6281234567001"
	b := h.browser()
	send := func() (*http.Response, string) {
		return b.postFrom("/masuk?tab=warga", "/masuk/warga", url.Values{"phone": {"0812-3456-7001"}})
	}
	verify := func(code string) (*http.Response, string) {
		return b.postFrom("/masuk?tab=warga", "/masuk/warga/kode", url.Values{"phone": {phone}, "code": {code}})
	}
	resp, body := send()
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "62812****7001") || strings.Contains(body, "?phone=") {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	code := h.lastCode(phone)
	m, _ := h.outbox.Last(phone)
	if m.Channel != notify.ChannelSMS || m.Tag != "otp" || m.Locale != "id" || !strings.Contains(m.Body, "JANGAN") {
		t.Fatalf("message %+v", m)
	}

	// Resending at once is throttled, but the first code stays valid.
	resp, body = send()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" || !strings.Contains(body, "60 detik") {
		t.Fatalf("resend at once: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	// Five tries per code.
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 4; i >= 0; i-- {
		resp, body = verify(wrong)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sisa percobaan: "+string(rune('0'+i))) {
			t.Fatalf("wrong code with %d left: %d", i, resp.StatusCode)
		}
	}
	resp, body = verify(code)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Terlalu banyak kode salah") {
		t.Fatalf("right code after five wrong ones: %d", resp.StatusCode)
	}

	// A new code voids the old one; codes expire after five minutes.
	h.clock.Advance(61 * time.Second)
	send()
	second := h.lastCode(phone)
	h.clock.Advance(5*time.Minute + time.Second)
	resp, body = verify(second)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "tidak berlaku") {
		t.Fatalf("expired code: %d", resp.StatusCode)
	}

	// A fresh code signs in and creates the account on first use.
	send()
	third := h.lastCode(phone)
	if resp, _ := verify(second); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an older code still worked: %d", resp.StatusCode)
	}
	resp, _ = verify(third)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/daftar/profil" {
		t.Fatalf("first sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := b.get("/akun"); resp.StatusCode != http.StatusOK || !strings.Contains(body, phone[1:]) {
		t.Fatalf("/akun = %d", resp.StatusCode)
	}
	// Single use: signed out, the same code does nothing.
	b.postFrom("/akun", "/keluar", nil)
	if resp, body := verify(third); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "tidak berlaku") {
		t.Fatalf("reused code: %d", resp.StatusCode)
	}
	// Later sign-ins land where the citizen was going.
	h.clock.Advance(2 * time.Minute)
	resp, _ = b.postFrom("/masuk?tab=warga", "/masuk/warga", url.Values{"phone": {phone}, "next": {"/akun"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	resp, _ = b.postFrom("/masuk?tab=warga", "/masuk/warga/kode", url.Values{"phone": {phone}, "code": {h.lastCode(phone)}, "next": {"/akun"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/akun" {
		t.Fatalf("returning citizen: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestCitizenPhoneNumberMessages(t *testing.T) {
	h := start(t)
	b := h.browser()
	for input, want := range map[string]string{
		"0380 821234":     "telepon rumah",
		"+1 202 555 0143": "nomor seluler Indonesia",
		"12ab":            "tidak valid",
	} {
		resp, body := b.postFrom("/daftar", "/daftar", url.Values{"phone": {input}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%q: %d, want a message containing %q", input, resp.StatusCode, want)
		}
	}
}

func TestSignUpThenOptionalProfile(t *testing.T) {
	h := start(t)
	const phone = "+6281234567002"
	b := h.browser()
	resp, _ := b.postFrom("/daftar", "/daftar", url.Values{"phone": {phone}})
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.StatusCode)
	}
	resp, _ = b.postFrom("/daftar", "/daftar/kode", url.Values{"phone": {phone}, "code": {h.lastCode(phone)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/daftar/profil" {
		t.Fatalf("verify: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := b.get("/daftar/profil")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Lewati") {
		t.Fatalf("profile step: %d", resp.StatusCode)
	}
	resp, _ = b.postFrom("/daftar/profil", "/daftar/profil", url.Values{"name": {"Yohanes Tefa"}, "kelurahan_code": {"53.71.03.1010"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: %d", resp.StatusCode)
	}
	resp, body = b.get("/akun")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Yohanes Tefa") || !strings.Contains(body, `value="53.71.03.1010" selected`) {
		t.Fatalf("/akun after sign-up: %d", resp.StatusCode)
	}
	resp, body = b.postFrom("/akun", "/akun/profil", url.Values{"kelurahan_code": {"99.99"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Pilih kelurahan dari daftar") {
		t.Fatalf("bad kelurahan: %d", resp.StatusCode)
	}
}
