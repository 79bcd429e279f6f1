package reports

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet has no 0/O/1/I, so a code read aloud over the phone or
// copied from an SMS cannot be mistyped into another valid code.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewTrackingCode makes "LPR-XXXX-XXXX": 8 symbols of 5 bits, 40 random
// bits. With a million reports a guess hits one in about a million tries,
// and the public pages are rate-limited; the code reveals only what the
// tracking page shows (never the reporter).
func NewTrackingCode() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	out := []byte("LPR-XXXX-XXXX")
	for i, v := range b {
		pos := 4 + i
		if i >= 4 {
			pos++
		}
		out[pos] = codeAlphabet[v&31]
	}
	return string(out)
}

// NormalizeCode reads what a person typed: any case, spaces or missing
// dashes, the prefix optional; "" when it cannot be a tracking code.
func NormalizeCode(s string) string {
	s = strings.ToUpper(s)
	var sym []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == ' ' || c == '\t' {
			continue
		}
		sym = append(sym, c)
	}
	// Eight symbols are the code without its prefix (which may itself
	// start with "LPR"); eleven must be the prefix and the code.
	str := string(sym)
	if len(str) == 11 && strings.HasPrefix(str, "LPR") {
		str = str[3:]
	}
	if len(str) != 8 {
		return ""
	}
	for i := 0; i < len(str); i++ {
		if !strings.ContainsRune(codeAlphabet, rune(str[i])) {
			return ""
		}
	}
	return "LPR-" + str[:4] + "-" + str[4:]
}
