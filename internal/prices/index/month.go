package index

import (
	"fmt"
	"time"
)

// Month is a calendar month, the period of the BPS consumer price index.
// The zero value is not a valid month; use ParseMonth, MonthOf or a
// literal checked with Valid.
type Month struct {
	Year  int
	Month time.Month
}

// The four-digit year keeps String and ParseMonth inverse to each other
// and months sortable as text.
const (
	minYear = 1
	maxYear = 9999
)

// ParseMonth parses a period written as YYYY-MM (for example "2024-01"),
// the form used in BPS publications and in our URLs and CSV files.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return Month{}, fmt.Errorf("index: month %q: want YYYY-MM", s)
	}
	year, ok := digits(s[:4])
	if !ok {
		return Month{}, fmt.Errorf("index: month %q: year is not four digits", s)
	}
	month, ok := digits(s[5:])
	if !ok {
		return Month{}, fmt.Errorf("index: month %q: month is not two digits", s)
	}
	m := Month{Year: year, Month: time.Month(month)}
	if !m.Valid() {
		return Month{}, fmt.Errorf("index: month %q: out of range", s)
	}
	return m, nil
}

// digits parses a string made only of ASCII digits; strconv.Atoi would also
// accept a sign, which "YYYY-MM" must not have.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// MonthOf returns the month containing t in t's own location. Convert t to
// Asia/Makassar (WITA) first: a price observed at 07:00 WITA on the first of
// the month is still the previous month in UTC (DOMAIN.md §1).
func MonthOf(t time.Time) Month {
	return Month{Year: t.Year(), Month: t.Month()}
}

// Valid reports whether m is a month of years 0001–9999.
func (m Month) Valid() bool {
	return m.Year >= minYear && m.Year <= maxYear && m.Month >= time.January && m.Month <= time.December
}

// String formats m as YYYY-MM.
func (m Month) String() string {
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}

// ordinal numbers months consecutively so that month arithmetic is integer
// arithmetic.
func (m Month) ordinal() int {
	return m.Year*12 + int(m.Month) - 1
}

func monthFromOrdinal(n int) Month {
	// Floor division keeps negative offsets correct (n is never negative
	// for valid months, but AddMonths must not misbehave on any input).
	y, r := n/12, n%12
	if r < 0 {
		y, r = y-1, r+12
	}
	return Month{Year: y, Month: time.Month(r + 1)}
}

// AddMonths returns the month n months after m (before it if n < 0).
func (m Month) AddMonths(n int) Month {
	return monthFromOrdinal(m.ordinal() + n)
}

// Sub returns the number of months from o to m: m == o.AddMonths(m.Sub(o)).
func (m Month) Sub(o Month) int {
	return m.ordinal() - o.ordinal()
}

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool {
	return m.ordinal() < o.ordinal()
}

// After reports whether m is later than o.
func (m Month) After(o Month) bool {
	return m.ordinal() > o.ordinal()
}

// MarshalText formats m as YYYY-MM, so that a Month works as a JSON value
// and as a JSON object key.
func (m Month) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, fmt.Errorf("index: invalid month %d-%d", m.Year, int(m.Month))
	}
	return []byte(m.String()), nil
}

// UnmarshalText parses YYYY-MM.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
