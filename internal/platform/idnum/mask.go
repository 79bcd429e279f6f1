package idnum

import "strings"

// Masks are what lists and search results show instead of a full number
// (UU 27/2022: data minimisation). Each keeps just enough to tell records
// apart and to let a person recognise their own. A value that does not have
// the expected shape is masked completely rather than partly, so a typo can
// never leak more than a valid number would.

// MaskNIK keeps the first 4 digits (province and kab/kota of issue) and the
// last 4 (serial) and hides the birth date and kecamatan:
// "5371015507900001" → "5371********0001". Separators are ignored.
func MaskNIK(s string) string { return maskDigits(s, NIKDigits, 4, 4) }

// MaskKK masks a family card number like MaskNIK: "5371********0001".
func MaskKK(s string) string { return maskDigits(s, NIKDigits, 4, 4) }

// MaskNIP keeps only the 3-digit serial: "***************001". Every other
// digit of a NIP is a personal attribute (birth date, appointment month,
// sex), unlike the region digits a NIK mask keeps, so none is shown; lists
// of civil servants show the name next to it anyway.
func MaskNIP(s string) string { return maskDigits(s, NIPDigits, 0, 3) }

// MaskBPJS keeps the first 4 and last 4 digits: "0001*****7890".
func MaskBPJS(s string) string { return maskDigits(s, BPJSDigits, 4, 4) }

// MaskPhone masks an E.164 Indonesian number (as NormalizePhone returns it),
// keeping the country code, the operator prefix and the last 4 digits:
// "+6281234565678" → "+62812****5678". Exactly four stars stand for the
// hidden digits whatever their number, so the mask does not reveal length.
func MaskPhone(s string) string {
	const keepHead, keepTail = len("+62812"), 4
	if len(s) < keepHead+keepTail+1 || !strings.HasPrefix(s, "+62") || !allDigits(s[1:]) {
		return "****"
	}
	return s[:keepHead] + "****" + s[len(s)-keepTail:]
}

// maskDigits masks an n-digit number, keeping head leading and tail
// trailing digits. Anything else becomes n stars; "" stays "".
func maskDigits(s string, n, head, tail int) string {
	s = stripSeparators(s)
	if s == "" {
		return ""
	}
	if len(s) != n || !allDigits(s) {
		return strings.Repeat("*", n)
	}
	return s[:head] + strings.Repeat("*", n-head-tail) + s[n-tail:]
}
