package prices

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

// Numbers are formatted here rather than in templates (the shared
// template functions have no number formatting): Indonesian groups
// thousands with "." and writes decimals with ",", English the other way.

func separators(loc i18n.Locale) (thousands, decimal string) {
	if loc == i18n.English {
		return ",", "."
	}
	return ".", ","
}

// fmtNumber formats v with the given decimals and the locale's separators.
func fmtNumber(loc i18n.Locale, v float64, decimals int) string {
	th, dec := separators(loc)
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(th)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// fmtRupiah is a price in whole rupiah, the way the board shows it.
func fmtRupiah(loc i18n.Locale, v float64) string { return "Rp " + fmtNumber(loc, math.Round(v), 0) }

// fmtPct is a signed percentage with one decimal.
func fmtPct(loc i18n.Locale, v float64) string {
	s := fmtNumber(loc, v, 1)
	if v >= 0.05 {
		s = "+" + s
	}
	return s + "%"
}

// fmtSigned is a number with its sign (andil in percentage points).
func fmtSigned(loc i18n.Locale, v float64, decimals int) string {
	s := fmtNumber(loc, v, decimals)
	if v > 0 && strings.Trim(s, "0.,") != "" {
		s = "+" + s
	}
	return s
}

// fmtDay is a calendar day as people in Kupang write it (04/12/2026).
func fmtDay(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

// decimal is a number in a message argument, formatted in the reader's
// language when the message is (the store does not know who reads it).
type decimal struct {
	V      float64
	Places int
}

// localize formats a message's decimal arguments for loc.
func localize(loc i18n.Locale, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if d, ok := a.(decimal); ok {
			out[i] = fmtNumber(loc, d.V, d.Places)
		} else {
			out[i] = a
		}
	}
	return out
}
