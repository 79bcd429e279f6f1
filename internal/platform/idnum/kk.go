package idnum

import (
	"fmt"
	"log/slog"
	"time"
)

// KK is a validated Nomor Kartu Keluarga (family card number). The zero
// value is "no KK".
//
// It prints masked (fmt, log/slog); use Digits to store it.
type KK struct {
	digits string
	issued time.Time
}

// ParseKK validates a family card number as typed by a person:
//
//	digits 1–6   region of issue, as in a NIK
//	digits 7–12  issue date DDMMYY (no +40, the card has no sex)
//	digits 13–16 serial, from 0001
//
// today fixes the century of the issue year: a two-digit year that would
// put the issue after today belongs to the previous century. It is read in
// its own location.
func ParseKK(s string, today time.Time) (KK, error) {
	s = stripSeparators(s)
	if err := digitsError(s, NIKDigits, FieldKK, CodeKKEmpty, CodeKKChars, CodeKKLength); err != nil {
		return KK{}, err
	}
	if !regionOK(s[:6]) {
		return KK{}, newError(FieldKK, CodeKKRegion, "digits 1–6 are not a Kemendagri region code")
	}
	day, month, yy := atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12])
	year := resolveYear(yy, month, day, today)
	if !dateExists(year, month, day) {
		return KK{}, newError(FieldKK, CodeKKIssueDate, "digits 7–12 are not an existing issue date (DDMMYY)")
	}
	if s[12:] == "0000" {
		return KK{}, newError(FieldKK, CodeKKSerial, "digits 13–16 must not be 0000")
	}
	return KK{digits: s, issued: civilDate(year, month, day)}, nil
}

// Digits returns the full 16 digits, for storage and for showing a family
// its own record. Never put it in a URL or a log line.
func (k KK) Digits() string { return k.digits }

// IsZero reports whether k is the zero KK.
func (k KK) IsZero() bool { return k.digits == "" }

// Region returns the kecamatan of issue as a dotted Kemendagri code.
func (k KK) Region() string {
	if k.IsZero() {
		return ""
	}
	return dottedRegion(k.digits[:6])
}

// Province returns the two-digit province code of issue.
func (k KK) Province() string {
	if k.IsZero() {
		return ""
	}
	return k.digits[:2]
}

// IssueDate returns the encoded issue date at midnight UTC.
func (k KK) IssueDate() time.Time { return k.issued }

// Serial returns digits 13–16 as a number (1–9999).
func (k KK) Serial() int {
	if k.IsZero() {
		return 0
	}
	return atoi(k.digits[12:])
}

// String returns the masked number (see MaskKK).
func (k KK) String() string { return MaskKK(k.digits) }

// Format prints the masked number for every verb.
func (k KK) Format(f fmt.State, verb rune) { formatMasked(f, verb, k.String()) }

// LogValue makes log/slog record the masked number.
func (k KK) LogValue() slog.Value { return slog.StringValue(k.String()) }
