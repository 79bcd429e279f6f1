package credential

import (
	"fmt"
	"unicode/utf8"
)

// MinPasswordChars is the shortest password CheckPasswordPolicy accepts,
// counted in characters (Unicode code points), not bytes.
const MinPasswordChars = 10

// PolicyCode is a stable, machine-readable reason a new password is
// refused; the web layer translates it into a message.
type PolicyCode string

const (
	CodePasswordTooShort   PolicyCode = "password_too_short"  // fewer than MinPasswordChars characters
	CodePasswordTooLong    PolicyCode = "password_too_long"   // more than MaxPasswordBytes bytes
	CodePasswordRepetitive PolicyCode = "password_repetitive" // one character repeated
)

// PolicyError is a password refused by CheckPasswordPolicy. It never
// contains the password.
type PolicyError struct {
	Code PolicyCode
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("credential: password refused by policy (%s)", e.Code)
}

// CheckPasswordPolicy decides whether a new password may be set. It applies
// to new passwords only; existing hashes keep verifying whatever their
// password. The rules are deliberately few (length over composition, as
// NIST SP 800-63B advises): at least MinPasswordChars characters, at most
// MaxPasswordBytes bytes, and not a single character repeated.
func CheckPasswordPolicy(pw string) error {
	if len(pw) > MaxPasswordBytes {
		return &PolicyError{Code: CodePasswordTooLong}
	}
	if utf8.RuneCountInString(pw) < MinPasswordChars {
		return &PolicyError{Code: CodePasswordTooShort}
	}
	first, _ := utf8.DecodeRuneInString(pw)
	for _, r := range pw {
		if r != first {
			return nil
		}
	}
	return &PolicyError{Code: CodePasswordRepetitive}
}
