package credential

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
)

// NewOTPCode returns a one-time code of 6 decimal digits, uniform over
// 000000–999999 (leading zeros kept), for SMS or WhatsApp verification. At
// 20 bits it is only safe with a short lifetime and a cap on attempts,
// which the caller enforces.
func NewOTPCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		// crypto/rand.Reader does not fail (it crashes the program instead).
		panic("credential: crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// recoveryAlphabet is Crockford's base32 in lower case: no i, l, o or u, so
// a code read off paper cannot be mistyped as another one.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// recoveryGroups of recoveryGroupLen characters make a recovery code: 16
// characters of 5 bits, 80 bits in all, enough that the SHA-256 digests
// stored for them cannot be brute-forced from a database leak.
const (
	recoveryGroups   = 4
	recoveryGroupLen = 4
)

// NewRecoveryCodes returns n single-use recovery codes for a person who
// loses their second factor, formatted for printing as
// "xxxx-xxxx-xxxx-xxxx". Store HashRecoveryCode of each, never the code.
func NewRecoveryCodes(n int) []string {
	if n <= 0 {
		return nil
	}
	codes := make([]string, n)
	buf := make([]byte, recoveryGroups*recoveryGroupLen)
	for i := range codes {
		_, _ = rand.Read(buf) // never fails: crypto/rand crashes the program instead
		var b strings.Builder
		for j, r := range buf {
			if j > 0 && j%recoveryGroupLen == 0 {
				b.WriteByte('-')
			}
			// 256 is a multiple of 32, so the low 5 bits are uniform.
			b.WriteByte(recoveryAlphabet[r&31])
		}
		codes[i] = b.String()
	}
	return codes
}

// HashRecoveryCode returns the digest to store for a recovery code and to
// look up what a person typed. It first undoes the usual typing variations:
// case, spaces, dashes, and o/i/l for 0/1/1 as Crockford's base32 allows.
func HashRecoveryCode(code string) string {
	normalized := strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, code)
	return HashToken(normalized)
}
