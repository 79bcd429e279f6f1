package idnum

// BPJSDigits is the length of a BPJS Kesehatan card number.
const BPJSDigits = 13

// ParseBPJS validates a BPJS Kesehatan card number (Nomor Kartu JKN) as
// typed by a person and returns its 13 digits. The number has no published
// inner structure or check digit, so only the shape is checked.
//
// The number links a person to health data, a specific category of
// personal data under UU 27/2022: mask it with MaskBPJS in lists.
func ParseBPJS(s string) (string, error) {
	s = stripSeparators(s)
	if err := digitsError(s, BPJSDigits, FieldBPJS, CodeBPJSEmpty, CodeBPJSChars, CodeBPJSLength); err != nil {
		return "", err
	}
	return s, nil
}
