package idnum

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneInput caps what is handed to the phone number parser; no real
// number is near this long, and the cap keeps hostile input cheap.
const maxPhoneInput = 64

// NormalizePhone validates an Indonesian mobile phone number as typed by a
// person and returns it in E.164 form ("+6281234565678"). Accepted spellings
// include "081234565678", "6281234565678" and "+62 812-3456-5678".
//
// Landlines (including Kupang's 0380 numbers) are refused with
// CodePhoneNotMobile, because the number is for SMS and WhatsApp; foreign
// numbers with CodePhoneNotIndonesian. Only spaces, dots and dashes are
// stripped; parentheses or letters make the number invalid.
func NormalizePhone(s string) (string, error) {
	s = stripSeparators(s)
	if s == "" {
		return "", newError(FieldPhone, CodePhoneEmpty, "no number entered")
	}
	digits := strings.TrimPrefix(s, "+")
	if len(s) > maxPhoneInput || digits == "" || !allDigits(digits) {
		return "", newError(FieldPhone, CodePhoneInvalid, "not a phone number")
	}
	// "62812…" typed without the plus is the international form; the
	// parser would otherwise read it as a national number starting 62.
	if s[0] != '+' && strings.HasPrefix(s, "62") {
		s = "+" + s
	}
	num, err := phonenumbers.Parse(s, "ID")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", newError(FieldPhone, CodePhoneInvalid, "not a valid phone number")
	}
	if phonenumbers.GetRegionCodeForNumber(num) != "ID" {
		return "", newError(FieldPhone, CodePhoneNotIndonesian, "not an Indonesian (+62) number")
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return phonenumbers.Format(num, phonenumbers.E164), nil
	default:
		return "", newError(FieldPhone, CodePhoneNotMobile, "not a mobile number")
	}
}
