package idnum

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable reason for a rejected identifier. The
// web layer translates codes into messages; the values never change once
// shipped because translations and API clients key on them.
type Code string

// Codes for NIK (Nomor Induk Kependudukan).
const (
	CodeNIKEmpty             Code = "nik_empty"              // nothing was entered
	CodeNIKChars             Code = "nik_chars"              // a character other than digits and separators
	CodeNIKLength            Code = "nik_length"             // not 16 digits
	CodeNIKRegion            Code = "nik_region"             // digits 1–6 are not a region code
	CodeNIKBirthDate         Code = "nik_birthdate"          // digits 7–12 are not an existing date
	CodeNIKSerial            Code = "nik_serial"             // digits 13–16 are 0000
	CodeNIKBirthDateMismatch Code = "nik_birthdate_mismatch" // NIK date differs from the entered birth date
	CodeNIKSexMismatch       Code = "nik_sex_mismatch"       // NIK sex differs from the entered sex
)

// Codes for KK (Nomor Kartu Keluarga).
const (
	CodeKKEmpty     Code = "kk_empty"
	CodeKKChars     Code = "kk_chars"
	CodeKKLength    Code = "kk_length"    // not 16 digits
	CodeKKRegion    Code = "kk_region"    // digits 1–6 are not a region code
	CodeKKIssueDate Code = "kk_issuedate" // digits 7–12 are not an existing past date
	CodeKKSerial    Code = "kk_serial"    // digits 13–16 are 0000
)

// Codes for NIP (Nomor Induk Pegawai).
const (
	CodeNIPEmpty       Code = "nip_empty"
	CodeNIPChars       Code = "nip_chars"
	CodeNIPLength      Code = "nip_length"      // not 18 digits
	CodeNIPBirthDate   Code = "nip_birthdate"   // digits 1–8 are not an existing past date
	CodeNIPAppointment Code = "nip_appointment" // digits 9–14 are not a plausible appointment month
	CodeNIPSex         Code = "nip_sex"         // digit 15 is neither 1 nor 2
	CodeNIPSerial      Code = "nip_serial"      // digits 16–18 are 000
)

// Codes for BPJS Kesehatan card numbers.
const (
	CodeBPJSEmpty  Code = "bpjs_empty"
	CodeBPJSChars  Code = "bpjs_chars"
	CodeBPJSLength Code = "bpjs_length" // not 13 digits
)

// Codes for phone numbers.
const (
	CodePhoneEmpty         Code = "phone_empty"
	CodePhoneInvalid       Code = "phone_invalid"        // not a valid phone number at all
	CodePhoneNotIndonesian Code = "phone_not_indonesian" // valid, but not a +62 number
	CodePhoneNotMobile     Code = "phone_not_mobile"     // a valid Indonesian landline or special number
)

// Field names used in Error.Field. They name the form value that is wrong:
// the identifier itself, or for a mismatch the value that disagrees with it.
const (
	FieldNIK       = "nik"
	FieldKK        = "kk"
	FieldNIP       = "nip"
	FieldBPJS      = "bpjs"
	FieldPhone     = "phone"
	FieldBirthDate = "birth_date"
	FieldSex       = "sex"
)

// Error is a rejected identifier. Field and Code are for programs (the web
// layer picks the message from Code and highlights Field; a form with two
// NIKs may overwrite Field); Detail is an English explanation for developers.
// Detail never contains the input, because errors end up in logs.
type Error struct {
	Field  string
	Code   Code
	Detail string
}

func (e *Error) Error() string {
	return fmt.Sprintf("idnum: %s: %s (%s)", e.Field, e.Detail, e.Code)
}

func newError(field string, code Code, format string, args ...any) *Error {
	return &Error{Field: field, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Errors returns every *Error in err, including those joined with
// errors.Join (CheckNIKAgainst reports a wrong birth date and a wrong sex
// together). It returns nil when err holds none.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *Error:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	return out
}

// CodeOf returns the Code of the first *Error in err, or "" if there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
