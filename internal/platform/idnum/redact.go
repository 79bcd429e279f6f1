package idnum

import (
	"fmt"
	"io"
	"strconv"
)

// formatMasked backs the fmt.Formatter of NIK, KK and NIP. Implementing
// Formatter rather than only Stringer matters: with a verb such as %d or %+v
// fmt would otherwise print the unexported fields, full number included,
// and a careless log line would leak personal data (UU 27/2022).
func formatMasked(f fmt.State, verb rune, masked string) {
	if verb == 'q' {
		masked = strconv.Quote(masked)
	}
	_, _ = io.WriteString(f, masked)
}
