package credential

import (
	"regexp"
	"testing"
)

func TestNewOTPCode(t *testing.T) {
	sixDigits := regexp.MustCompile(`^[0-9]{6}$`)
	firstDigits := map[byte]bool{}
	for range 2000 {
		code := NewOTPCode()
		if !sixDigits.MatchString(code) {
			t.Fatalf("code %q is not 6 digits", code)
		}
		firstDigits[code[0]] = true
	}
	// With uniform codes every leading digit, zero included, shows up in
	// 2000 draws (the chance that one does not is about 10 × 0.9^2000).
	if len(firstDigits) != 10 {
		t.Errorf("leading digits seen: %d of 10", len(firstDigits))
	}
}

func TestNewRecoveryCodes(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$`)
	codes := NewRecoveryCodes(10)
	if len(codes) != 10 {
		t.Fatalf("got %d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated", c)
		}
		seen[c] = true
	}
	if NewRecoveryCodes(0) != nil || NewRecoveryCodes(-1) != nil {
		t.Error("no codes asked, some given")
	}
}

func TestHashRecoveryCode(t *testing.T) {
	want := HashRecoveryCode("0a1b-c2d3-e4f5-g6h7")
	for _, typed := range []string{"0a1b-c2d3-e4f5-g6h7", "0A1B C2D3 E4F5 G6H7", "0a1bc2d3e4f5g6h7", "oalb-c2d3-e4f5-g6h7", "OAIB-c2d3-e4f5-g6h7"} {
		if got := HashRecoveryCode(typed); got != want {
			t.Errorf("HashRecoveryCode(%q) differs from the printed code's", typed)
		}
	}
	if HashRecoveryCode("0a1b-c2d3-e4f5-g6h8") == want {
		t.Error("different codes, same digest")
	}
}
