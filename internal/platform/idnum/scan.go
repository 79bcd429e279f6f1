package idnum

// FindNIKLike returns the NIK-shaped numbers in text: runs of exactly 16
// ASCII digits, not part of a longer digit run, whose region and birth date
// could be those of a real NIK and whose serial is not 0000. It exists for
// tests that scan log output to prove no NIK leaks, so it errs towards
// reporting: a birth date is accepted if it exists in either century.
// Masked numbers and NIKs typed with separators do not match.
func FindNIKLike(text string) []string {
	var found []string
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j-i == NIKDigits && nikShaped(text[i:j]) {
			found = append(found, text[i:j])
		}
		i = j
	}
	return found
}

// LooksLikeNIK reports whether text contains a NIK-shaped number (see
// FindNIKLike).
func LooksLikeNIK(text string) bool { return len(FindNIKLike(text)) > 0 }

func nikShaped(s string) bool {
	if !regionOK(s[:6]) || s[12:] == "0000" {
		return false
	}
	day, month, yy := atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12])
	if day > 40 {
		day -= 40
	}
	return dateExists(1900+yy, month, day) || dateExists(2000+yy, month, day)
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
