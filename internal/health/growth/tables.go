package growth

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// The WHO LMS tables, byte for byte as WHO's anthro package ships them
// (tab-separated, CRLF, sex 1 = male and 2 = female).
var (
	//go:embed who/weianthro.txt
	weianthroTxt string
	//go:embed who/lenanthro.txt
	lenanthroTxt string
	//go:embed who/bmianthro.txt
	bmianthroTxt string
	//go:embed who/wflanthro.txt
	wflanthroTxt string
	//go:embed who/wfhanthro.txt
	wfhanthroTxt string
)

const (
	// maxTableDay is the last day of the by-age tables, which end where
	// the standards do (60 months of 30.4375 days, 1826.25, rounded).
	// Assess indexes the tables by day up to MaxAgeDays, so the two must
	// stay equal; parseByDay checks the files against this.
	maxTableDay = MaxAgeDays

	// lenHeiSwitchDay is the first day on which WHO measures standing
	// height instead of recumbent length (24 months: 730.5 days, rounded
	// half up). lenanthro and bmianthro switch from their L rows to their H
	// rows on this day; loadTables checks that.
	lenHeiSwitchDay = 731

	// First and last rows of the weight-for-length and weight-for-height
	// tables, in tenths of a centimetre.
	wflFirstTenth, wflLastTenth = 450, 1100
	wfhFirstTenth, wfhLastTenth = 650, 1200
)

// byDay holds an age-based table: rows[sex-1][day] for days 0…1826.
type byDay struct {
	rows [2][]lms
}

func (t *byDay) at(sex Sex, day int) lms { return t.rows[sex-1][day] }

// byTenth holds a table by length or height: rows[sex-1][i] is the row for
// (first+i)/10 cm.
type byTenth struct {
	first, last int // in tenths of a centimetre
	rows        [2][]lms
}

// The parsed tables. They are filled once by init and only read afterwards,
// so concurrent use needs no locking.
var (
	weightForAgeTable    byDay
	lengthForAgeTable    byDay
	bmiForAgeTable       byDay
	weightForLengthTable byTenth
	weightForHeightTable byTenth
)

func init() {
	if err := loadTables(); err != nil {
		// The tables are compiled into the binary, so this only happens
		// when someone edits who/*.txt wrongly; the tests catch it first.
		panic("growth: embedded WHO tables: " + err.Error())
	}
}

func loadTables() error {
	var err error
	if weightForAgeTable, err = parseByDay("weianthro", weianthroTxt, false); err != nil {
		return err
	}
	if lengthForAgeTable, err = parseByDay("lenanthro", lenanthroTxt, true); err != nil {
		return err
	}
	if bmiForAgeTable, err = parseByDay("bmianthro", bmianthroTxt, true); err != nil {
		return err
	}
	if weightForLengthTable, err = parseByTenth("wflanthro", wflanthroTxt, "length", "L", wflFirstTenth, wflLastTenth); err != nil {
		return err
	}
	if weightForHeightTable, err = parseByTenth("wfhanthro", wfhanthroTxt, "height", "H", wfhFirstTenth, wfhLastTenth); err != nil {
		return err
	}
	return nil
}

// parseByDay reads an age table. With lohColumn the sixth column must say L
// (recumbent length) before lenHeiSwitchDay and H (standing height) from it:
// the code picks rows by day alone, which is only right if the file agrees.
func parseByDay(name, text string, lohColumn bool) (byDay, error) {
	header := []string{"sex", "age", "l", "m", "s"}
	if lohColumn {
		header = append(header, "loh")
	}
	var t byDay
	for i := range t.rows {
		t.rows[i] = make([]lms, 0, maxTableDay+1)
	}
	err := eachRow(name, text, header, func(f []string) error {
		sex, err := parseSex(f[0])
		if err != nil {
			return err
		}
		day, err := strconv.Atoi(f[1])
		if err != nil {
			return fmt.Errorf("age %q: %w", f[1], err)
		}
		rows := &t.rows[sex-1]
		if day != len(*rows) {
			return fmt.Errorf("age %d out of order, want %d", day, len(*rows))
		}
		if lohColumn {
			want := "L"
			if day >= lenHeiSwitchDay {
				want = "H"
			}
			if f[5] != want {
				return fmt.Errorf("day %d: loh %q, want %q", day, f[5], want)
			}
		}
		row, err := parseLMS(f[2:5])
		if err != nil {
			return err
		}
		*rows = append(*rows, row)
		return nil
	})
	if err != nil {
		return byDay{}, err
	}
	for i, rows := range t.rows {
		if len(rows) != maxTableDay+1 {
			return byDay{}, fmt.Errorf("%s: sex %d has %d days, want %d", name, i+1, len(rows), maxTableDay+1)
		}
	}
	return t, nil
}

// parseByTenth reads a weight-for-length or weight-for-height table, whose
// rows step by 0.1 cm from first to last (in tenths).
func parseByTenth(name, text, keyColumn, lorh string, first, last int) (byTenth, error) {
	t := byTenth{first: first, last: last}
	n := last - first + 1
	for i := range t.rows {
		t.rows[i] = make([]lms, 0, n)
	}
	header := []string{"sex", keyColumn, "l", "m", "s", "lorh"}
	err := eachRow(name, text, header, func(f []string) error {
		sex, err := parseSex(f[0])
		if err != nil {
			return err
		}
		cm, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return fmt.Errorf("%s %q: %w", keyColumn, f[1], err)
		}
		rows := &t.rows[sex-1]
		want := first + len(*rows)
		// The key is written with at most one decimal; it must be exactly
		// the tenth this row is stored under, or lookups would be off by
		// a row.
		if cm != float64(want)/10 {
			return fmt.Errorf("%s %s out of order, want %.1f", keyColumn, f[1], float64(want)/10)
		}
		if f[5] != lorh {
			return fmt.Errorf("lorh %q, want %q", f[5], lorh)
		}
		row, err := parseLMS(f[2:5])
		if err != nil {
			return err
		}
		*rows = append(*rows, row)
		return nil
	})
	if err != nil {
		return byTenth{}, err
	}
	for i, rows := range t.rows {
		if len(rows) != n {
			return byTenth{}, fmt.Errorf("%s: sex %d has %d rows, want %d", name, i+1, len(rows), n)
		}
	}
	return t, nil
}

// eachRow checks the header and calls fn with the fields of every data row.
// Errors name the file and line.
func eachRow(name, text string, header []string, fn func(fields []string) error) error {
	lines := strings.Split(strings.TrimRight(text, "\r\n"), "\n")
	if got := strings.Split(strings.TrimRight(lines[0], "\r"), "\t"); strings.Join(got, ",") != strings.Join(header, ",") {
		return fmt.Errorf("%s: header %q, want %q", name, got, header)
	}
	for i, line := range lines[1:] {
		fields := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(fields) != len(header) {
			return fmt.Errorf("%s line %d: %d fields, want %d", name, i+2, len(fields), len(header))
		}
		if err := fn(fields); err != nil {
			return fmt.Errorf("%s line %d: %w", name, i+2, err)
		}
	}
	return nil
}

func parseSex(s string) (Sex, error) {
	switch s {
	case "1":
		return Male, nil
	case "2":
		return Female, nil
	}
	return 0, fmt.Errorf("sex %q, want 1 or 2", s)
}

func parseLMS(f []string) (lms, error) {
	var v [3]float64
	for i, s := range f {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return lms{}, fmt.Errorf("LMS value %q: %w", s, err)
		}
		v[i] = x
	}
	r := lms{l: v[0], m: v[1], s: v[2]}
	// M and S must be positive for the LMS formulas to mean anything; L may
	// be any value (WHO's tables have no L of exactly 0, but lms handles it).
	if !(r.m > 0) || !(r.s > 0) {
		return lms{}, fmt.Errorf("non-positive M %v or S %v", r.m, r.s)
	}
	return r, nil
}
