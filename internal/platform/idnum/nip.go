package idnum

import (
	"fmt"
	"log/slog"
	"time"
)

// NIPDigits is the length of a NIP.
const NIPDigits = 18

// nipEarliestBirthYear bounds the birth year: nobody born before 1900 can be
// on the payroll, so an earlier year is a typo.
const nipEarliestBirthYear = 1900

// nipAppointmentLeadMonths is how far past the current month an appointment
// (TMT) may lie. BKN assigns the NIP while the appointment is being
// prepared, some months before the TMT, never years before; a later month
// is a typo.
const nipAppointmentLeadMonths = 12

// NIP is a validated Nomor Induk Pegawai (civil servant number). The zero
// value is "no NIP".
//
// It prints masked (fmt, log/slog); use Digits to store it.
type NIP struct {
	digits      string
	birth       time.Time
	appointment time.Time
	sex         Sex
}

// ParseNIP validates a NIP as typed by a person:
//
//	digits 1–8   birth date YYYYMMDD
//	digits 9–14  appointment (TMT CPNS) YYYYMM, not before the birth month
//	digit  15    sex: 1 male, 2 female
//	digits 16–18 serial, from 001
//
// today rejects a birth date in the future and an appointment more than a
// year ahead; it is read in its own location. An appointment before the
// 18th birthday is accepted: the number's definition does not forbid it,
// only an appointment before birth is impossible.
func ParseNIP(s string, today time.Time) (NIP, error) {
	s = stripSeparators(s)
	if err := digitsError(s, NIPDigits, FieldNIP, CodeNIPEmpty, CodeNIPChars, CodeNIPLength); err != nil {
		return NIP{}, err
	}
	by, bm, bd := atoi(s[0:4]), atoi(s[4:6]), atoi(s[6:8])
	if by < nipEarliestBirthYear || !dateExists(by, bm, bd) || afterDay(by, bm, bd, today) {
		return NIP{}, newError(FieldNIP, CodeNIPBirthDate, "digits 1–8 are not an existing past birth date (YYYYMMDD)")
	}
	ay, am := atoi(s[8:12]), atoi(s[12:14])
	if am < 1 || am > 12 {
		return NIP{}, newError(FieldNIP, CodeNIPAppointment, "digits 13–14 are not a month")
	}
	if ay*12+am < by*12+bm {
		return NIP{}, newError(FieldNIP, CodeNIPAppointment, "the appointment month is before the birth date")
	}
	ty, tm, _ := today.Date()
	if ay*12+am > ty*12+int(tm)+nipAppointmentLeadMonths {
		return NIP{}, newError(FieldNIP, CodeNIPAppointment, "the appointment month is more than a year ahead")
	}
	var sex Sex
	switch s[14] {
	case '1':
		sex = SexMale
	case '2':
		sex = SexFemale
	default:
		return NIP{}, newError(FieldNIP, CodeNIPSex, "digit 15 must be 1 (male) or 2 (female)")
	}
	if s[15:] == "000" {
		return NIP{}, newError(FieldNIP, CodeNIPSerial, "digits 16–18 must not be 000")
	}
	return NIP{
		digits:      s,
		birth:       civilDate(by, bm, bd),
		appointment: civilDate(ay, am, 1),
		sex:         sex,
	}, nil
}

// Digits returns the full 18 digits, for storage and for showing a civil
// servant their own record. Never put it in a URL or a log line.
func (n NIP) Digits() string { return n.digits }

// IsZero reports whether n is the zero NIP.
func (n NIP) IsZero() bool { return n.digits == "" }

// BirthDate returns the encoded birth date at midnight UTC.
func (n NIP) BirthDate() time.Time { return n.birth }

// Appointment returns the first day of the encoded appointment month at
// midnight UTC.
func (n NIP) Appointment() time.Time { return n.appointment }

// Sex returns the encoded sex.
func (n NIP) Sex() Sex { return n.sex }

// Serial returns digits 16–18 as a number (1–999).
func (n NIP) Serial() int {
	if n.IsZero() {
		return 0
	}
	return atoi(n.digits[15:])
}

// String returns the masked NIP (see MaskNIP).
func (n NIP) String() string { return MaskNIP(n.digits) }

// Format prints the masked NIP for every verb.
func (n NIP) Format(f fmt.State, verb rune) { formatMasked(f, verb, n.String()) }

// LogValue makes log/slog record the masked NIP.
func (n NIP) LogValue() slog.Value { return slog.StringValue(n.String()) }
