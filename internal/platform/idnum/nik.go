package idnum

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// NIKDigits is the length of a NIK and of a KK number.
const NIKDigits = 16

// NIK is a validated Nomor Induk Kependudukan. The zero value is "no NIK".
//
// It prints masked (fmt, log/slog); use Digits to store it.
type NIK struct {
	digits string
	birth  time.Time
	sex    Sex
}

// ParseNIK validates a NIK as typed by a person and decodes it:
//
//	digits 1–6   region where it was first issued (province, kab/kota, kecamatan)
//	digits 7–12  birth date DDMMYY, with 40 added to DD for women
//	digits 13–16 serial, from 0001
//
// A NIK has no check digit, so this only catches numbers that cannot exist.
// today fixes the century of the birth year (a two-digit year that would
// put the birth after today belongs to the previous century); it is read in
// its own location, so pass the current time in the city's zone.
// Any region is accepted: people move to Kupang with NIKs issued elsewhere.
func ParseNIK(s string, today time.Time) (NIK, error) {
	s = stripSeparators(s)
	if err := digitsError(s, NIKDigits, FieldNIK, CodeNIKEmpty, CodeNIKChars, CodeNIKLength); err != nil {
		return NIK{}, err
	}
	if !regionOK(s[:6]) {
		return NIK{}, newError(FieldNIK, CodeNIKRegion, "digits 1–6 are not a Kemendagri region code")
	}
	day, month, yy := atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12])
	sex := SexMale
	if day > 40 {
		sex, day = SexFemale, day-40
	}
	year := resolveYear(yy, month, day, today)
	if !dateExists(year, month, day) {
		return NIK{}, newError(FieldNIK, CodeNIKBirthDate, "digits 7–12 are not an existing birth date (DDMMYY, DD+40 for women)")
	}
	if s[12:] == "0000" {
		return NIK{}, newError(FieldNIK, CodeNIKSerial, "digits 13–16 must not be 0000")
	}
	return NIK{digits: s, birth: civilDate(year, month, day), sex: sex}, nil
}

// CheckNIKAgainst reports whether the birth date and sex that a person
// entered agree with those encoded in nik. A disagreement is an *Error with
// Field FieldBirthDate (CodeNIKBirthDateMismatch) or FieldSex
// (CodeNIKSexMismatch); when both disagree they are joined (see Errors).
// birth is compared as a calendar day in its own location. A zero birth or
// SexUnknown is not checked, for forms that do not ask for it.
func CheckNIKAgainst(nik NIK, birth time.Time, sex Sex) error {
	var errs []error
	if !birth.IsZero() {
		y, m, d := birth.Date()
		if civilDate(y, int(m), d) != nik.birth {
			errs = append(errs, newError(FieldBirthDate, CodeNIKBirthDateMismatch, "the birth date differs from the one encoded in the NIK"))
		}
	}
	if sex != SexUnknown && sex != nik.sex {
		errs = append(errs, newError(FieldSex, CodeNIKSexMismatch, "the sex differs from the one encoded in the NIK"))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Digits returns the full 16 digits, for storage and for showing a person
// their own record. Never put it in a URL or a log line.
func (n NIK) Digits() string { return n.digits }

// IsZero reports whether n is the zero NIK.
func (n NIK) IsZero() bool { return n.digits == "" }

// Region returns the kecamatan of first issue as a dotted Kemendagri code,
// e.g. "53.71.01".
func (n NIK) Region() string {
	if n.IsZero() {
		return ""
	}
	return dottedRegion(n.digits[:6])
}

// Province returns the two-digit province code of first issue, e.g. "53".
func (n NIK) Province() string {
	if n.IsZero() {
		return ""
	}
	return n.digits[:2]
}

// BirthDate returns the encoded birth date at midnight UTC.
func (n NIK) BirthDate() time.Time { return n.birth }

// Sex returns the encoded sex.
func (n NIK) Sex() Sex { return n.sex }

// Serial returns digits 13–16 as a number (1–9999).
func (n NIK) Serial() int {
	if n.IsZero() {
		return 0
	}
	return atoi(n.digits[12:])
}

// String returns the masked NIK (see MaskNIK).
func (n NIK) String() string { return MaskNIK(n.digits) }

// Format prints the masked NIK for every verb, so that no formatting
// directive can reveal the full number.
func (n NIK) Format(f fmt.State, verb rune) { formatMasked(f, verb, n.String()) }

// LogValue makes log/slog record the masked NIK.
func (n NIK) LogValue() slog.Value { return slog.StringValue(n.String()) }
