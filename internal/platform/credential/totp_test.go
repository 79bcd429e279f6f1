package credential

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// rfcSecret is the RFC 6238 appendix B SHA-1 key "12345678901234567890"
// in base32; the codes below are the last six digits of its test vectors.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestVerifyTOTPVectors(t *testing.T) {
	vectors := []struct {
		unix int64
		code string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, v := range vectors {
		now := time.Unix(v.unix, 0)
		step, ok := MatchTOTP(rfcSecret, v.code, now)
		if !ok || step != v.unix/30 {
			t.Errorf("at %d: MatchTOTP(%s) = %d, %v; want step %d", v.unix, v.code, step, ok, v.unix/30)
		}
		if !VerifyTOTP(rfcSecret, v.code[:3]+" "+v.code[3:], now) {
			t.Errorf("at %d: code typed with a space refused", v.unix)
		}
	}
}

func TestVerifyTOTPSkew(t *testing.T) {
	const code = "005924" // step 41152263, 2009-02-13 23:31:00–23:31:29 UTC
	stepStart := time.Unix(41152263*30, 0)
	for _, tt := range []struct {
		offset time.Duration
		ok     bool
	}{
		{-31 * time.Second, false}, // two steps early
		{-30 * time.Second, true},  // one step early: the code is from the next step
		{0, true},
		{29 * time.Second, true},
		{59 * time.Second, true}, // one step late
		{60 * time.Second, false},
	} {
		if got := VerifyTOTP(rfcSecret, code, stepStart.Add(tt.offset)); got != tt.ok {
			t.Errorf("offset %v: VerifyTOTP = %v, want %v", tt.offset, got, tt.ok)
		}
	}
}

func TestVerifyTOTPRefuses(t *testing.T) {
	now := time.Unix(1234567890, 0)
	for _, code := range []string{"", "00592", "0059245", "00592a", "٠٠٥٩٢٤", "+05924", "005925"} {
		if VerifyTOTP(rfcSecret, code, now) {
			t.Errorf("code %q accepted", code)
		}
	}
	if VerifyTOTP("not base32!", "005924", now) {
		t.Error("invalid secret accepted")
	}
	if VerifyTOTP(rfcSecret, "287082", time.Unix(-3600, 0)) {
		t.Error("a time before 1970 accepted")
	}
}

func TestVerifyTOTPOnce(t *testing.T) {
	now := time.Unix(1234567890, 0) // step 41152263, code 005924
	step, ok := VerifyTOTPOnce(rfcSecret, "005924", now, 0)
	if !ok || step != 41152263 {
		t.Fatalf("first use: %d, %v", step, ok)
	}
	// The same code again, even 20 s later, is a replay.
	if _, ok := VerifyTOTPOnce(rfcSecret, "005924", now.Add(20*time.Second), step); ok {
		t.Error("replayed code accepted")
	}
	// The previous step's code is still inside the skew window but older
	// than the stored step: refused too.
	prev, err := totp.GenerateCode(rfcSecret, now.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if VerifyTOTP(rfcSecret, prev, now) == false {
		t.Fatal("previous step's code should be inside the skew window")
	}
	if _, ok := VerifyTOTPOnce(rfcSecret, prev, now, step); ok {
		t.Error("older code accepted after a newer one")
	}
	// The next step's code is fine.
	next, _ := totp.GenerateCode(rfcSecret, now.Add(30*time.Second))
	if got, ok := VerifyTOTPOnce(rfcSecret, next, now.Add(30*time.Second), step); !ok || got != step+1 {
		t.Errorf("next step: %d, %v", got, ok)
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, rawURL, err := NewTOTPSecret("Sodamolek Kota Kupang", "warga@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 || strings.Trim(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Errorf("secret %q is not 20 bytes of base32", secret)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || q.Get("secret") != secret || q.Get("issuer") != "Sodamolek Kota Kupang" ||
		q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" ||
		!strings.Contains(u.Path, "warga@example.org") {
		t.Errorf("otpauth URL %q", rawURL)
	}
	now := time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if !VerifyTOTP(secret, code, now) {
		t.Error("code from the new secret refused")
	}
	if _, _, err := NewTOTPSecret("", "warga@example.org"); err == nil {
		t.Error("empty issuer accepted")
	}
	if _, _, err := NewTOTPSecret("Sodamolek", ""); err == nil {
		t.Error("empty account accepted")
	}
}
