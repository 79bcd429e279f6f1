package idnum

import (
	"strings"
	"unicode"
)

// stripSeparators removes what people type between digit groups: spaces
// (any Unicode space, because phones paste no-break spaces), dots and
// hyphen-minus. Anything else is kept so that the parser can reject it
// instead of silently guessing what was meant.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// digitsError describes what is wrong with s as an n-digit number, using
// the three codes of one identifier kind, or returns nil if s is exactly n
// ASCII digits.
func digitsError(s string, n int, field string, empty, chars, length Code) *Error {
	if s == "" {
		return newError(field, empty, "no digits entered")
	}
	if !allDigits(s) {
		return newError(field, chars, "only digits are allowed")
	}
	if len(s) != n {
		return newError(field, length, "must be %d digits, got %d", n, len(s))
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi parses a short run of ASCII digits already known to be digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
