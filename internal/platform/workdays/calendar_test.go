package workdays

import (
	"testing"
	"time"
)

var wita = mustZone("Asia/Makassar")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a WITA wall-clock time.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, wita) }

func builtinCalendar() *Calendar { return NewCalendar(wita, Builtin) }

func TestIsWorkingDay(t *testing.T) {
	c := builtinCalendar()
	for _, tc := range []struct {
		name string
		t    time.Time
		want bool
	}{
		{"ordinary Friday", at(2026, 12, 4, 9, 0), true},
		{"Saturday", at(2026, 12, 5, 9, 0), false},
		{"Sunday", at(2026, 12, 6, 9, 0), false},
		{"Christmas (national holiday)", at(2026, 12, 25, 9, 0), false},
		{"24 December 2026 (cuti bersama)", at(2026, 12, 24, 9, 0), false},
		{"Nyepi 2026", at(2026, 3, 19, 9, 0), false},
		{"cuti bersama Idul Fitri after the weekend", at(2026, 3, 23, 9, 0), false},
		{"the Wednesday after the long Lebaran break", at(2026, 3, 25, 9, 0), true},
		{"Independence Day 2026 (Monday)", at(2026, 8, 17, 9, 0), false},
		// 23:30 UTC on Thursday 24 December is already Friday 25 December
		// 07:30 in Kupang: the day is the city's, not UTC's.
		{"UTC evening that is a holiday morning in WITA", time.Date(2026, 12, 24, 23, 30, 0, 0, time.UTC), false},
		{"UTC evening that is a working morning in WITA", time.Date(2026, 12, 2, 23, 30, 0, 0, time.UTC), true},
		{"1 January 2027", at(2027, 1, 1, 9, 0), false},
	} {
		if got := c.IsWorkingDay(tc.t); got != tc.want {
			t.Errorf("%s: IsWorkingDay(%s) = %v, want %v", tc.name, tc.t, got, tc.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := builtinCalendar()
	for _, tc := range []struct {
		name  string
		from  time.Time
		n     int
		want  time.Time
		extra string
	}{
		{"within a week", at(2026, 12, 1, 10, 0), 3, at(2026, 12, 4, 10, 0), ""},
		{"over a weekend", at(2026, 12, 4, 10, 0), 3, at(2026, 12, 9, 10, 0), ""},
		{"over Christmas and its cuti bersama", at(2026, 12, 22, 14, 0), 3, at(2026, 12, 29, 14, 0), ""},
		{"from Saturday: counting starts at Monday 00:00", at(2026, 12, 5, 12, 0), 1, at(2026, 12, 8, 0, 0), ""},
		{"over the Lebaran week 2026", at(2026, 3, 17, 9, 0), 1, at(2026, 3, 25, 9, 0), ""},
		{"zero days on a working day", at(2026, 12, 1, 10, 0), 0, at(2026, 12, 1, 10, 0), ""},
		{"ten working days (auto-close)", at(2026, 12, 4, 9, 0), 10, at(2026, 12, 18, 9, 0), ""},
		{"year end into 2027", at(2026, 12, 31, 8, 0), 1, at(2027, 1, 4, 8, 0), ""},
	} {
		got := c.AddWorkingDays(tc.from, tc.n)
		if !got.Equal(tc.want) {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s, want %s", tc.name, tc.from, tc.n, got, tc.want)
		}
		if got.Location() != wita {
			t.Errorf("%s: result in %s, want the calendar's zone", tc.name, got.Location())
		}
	}
}

func TestAddWorkingHours(t *testing.T) {
	c := builtinCalendar()
	for _, tc := range []struct {
		name string
		from time.Time
		dur  time.Duration
		want time.Time
	}{
		{"inside the day", at(2026, 12, 1, 9, 0), 2 * time.Hour, at(2026, 12, 1, 11, 0)},
		{"ends exactly at closing", at(2026, 12, 1, 14, 0), 2 * time.Hour, at(2026, 12, 1, 16, 0)},
		{"Thursday closes at 16:00, rest on Friday morning", at(2026, 12, 3, 15, 0), 2 * time.Hour, at(2026, 12, 4, 8, 30)},
		{"Friday is the long day (to 16:30)", at(2026, 12, 4, 15, 0), 90 * time.Minute, at(2026, 12, 4, 16, 30)},
		{"Friday late → Monday", at(2026, 12, 4, 16, 0), time.Hour, at(2026, 12, 7, 8, 0)},
		{"before opening starts at 07:30", at(2026, 12, 1, 5, 0), time.Hour, at(2026, 12, 1, 8, 30)},
		{"after closing starts next morning", at(2026, 12, 1, 18, 0), 30 * time.Minute, at(2026, 12, 2, 8, 0)},
		{"weekend counts nothing", at(2026, 12, 5, 10, 0), time.Hour, at(2026, 12, 7, 8, 30)},
		{"one full Monday = 8.5 h", at(2026, 12, 7, 7, 30), 8*time.Hour + 30*time.Minute, at(2026, 12, 7, 16, 0)},
		{"a full office week is 43 h", at(2026, 12, 7, 7, 30), 43 * time.Hour, at(2026, 12, 11, 16, 30)},
		{"over Christmas", at(2026, 12, 23, 15, 0), 2 * time.Hour, at(2026, 12, 28, 8, 30)},
		{"zero", at(2026, 12, 1, 18, 0), 0, at(2026, 12, 1, 18, 0)},
	} {
		got := c.AddWorkingHours(tc.from, tc.dur, DefaultHours)
		if !got.Equal(tc.want) {
			t.Errorf("%s: AddWorkingHours(%s, %s) = %s, want %s", tc.name, tc.from, tc.dur, got, tc.want)
		}
	}
	// A unit with its own hours (a 24/7 post open every day).
	allWeek, err := ParseHours("mon-sun 00:00-23:59")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.AddWorkingHours(at(2026, 12, 5, 10, 0), time.Hour, allWeek), at(2026, 12, 7, 1, 0); !got.Equal(want) {
		// Saturday is still not a working day: the calendar's days off
		// apply to every unit; hours only shape the working day.
		t.Errorf("unit hours on a weekend: %s, want %s", got, want)
	}
	// 43 h at the office; Perpres 21/2023's 37.5 h excludes the breaks
	// (1 h Monday–Thursday, 1.5 h on Friday), which deadlines count.
	if got := DefaultHours.Weekly(); got != 43*time.Hour {
		t.Errorf("DefaultHours.Weekly() = %s, want 43 h", got)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := builtinCalendar()
	for _, tc := range []struct {
		a, b time.Time
		want int
	}{
		{at(2026, 12, 4, 9, 0), at(2026, 12, 7, 8, 0), 1},
		{at(2026, 12, 1, 9, 0), at(2026, 12, 1, 17, 0), 0},
		{at(2026, 12, 1, 9, 0), at(2026, 12, 31, 9, 0), 20},
		{at(2026, 12, 7, 9, 0), at(2026, 12, 4, 9, 0), -1},
		{at(2026, 3, 17, 9, 0), at(2026, 3, 25, 9, 0), 1},
	} {
		if got := c.WorkingDaysBetween(tc.a, tc.b); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	// The inverse of AddWorkingDays.
	from := at(2026, 11, 2, 10, 0)
	for n := 0; n < 40; n++ {
		if got := c.WorkingDaysBetween(from, c.AddWorkingDays(from, n)); got != n {
			t.Fatalf("WorkingDaysBetween(from, AddWorkingDays(from, %d)) = %d", n, got)
		}
	}
}

// WITA has no daylight saving: every day of the year is 24 hours long and
// 07:30 WITA is always 23:30 UTC the day before.
func TestWITAIsDSTFree(t *testing.T) {
	c := builtinCalendar()
	for d := at(2026, 1, 1, 7, 30); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if _, off := d.Zone(); off != 8*3600 {
			t.Fatalf("%s: offset %d, want +8 h", d, off)
		}
		if u := d.UTC(); u.Hour() != 23 || u.Minute() != 30 {
			t.Fatalf("07:30 WITA on %s is %s UTC", d.Format(DateLayout), u.Format("15:04"))
		}
	}
	// Adding working hours across the months where other zones switch
	// clocks changes nothing here.
	if got, want := c.AddWorkingHours(at(2026, 3, 27, 15, 0), 3*time.Hour, DefaultHours), at(2026, 3, 30, 9, 0); !got.Equal(want) {
		t.Errorf("late March: %s, want %s", got, want)
	}
	if got, want := c.AddWorkingHours(at(2026, 10, 23, 16, 0), time.Hour, DefaultHours), at(2026, 10, 26, 8, 0); !got.Equal(want) {
		t.Errorf("late October: %s, want %s", got, want)
	}
}

func TestParseHours(t *testing.T) {
	h, err := ParseHours("mon-thu 07:30-16:00; fri 07:30-16:30")
	if err != nil {
		t.Fatal(err)
	}
	if h != DefaultHours {
		t.Fatalf("parsed %v, want the default hours", h)
	}
	if s := DefaultHours.String(); s != "mon-thu 07:30-16:00; fri 07:30-16:30" {
		t.Errorf("String() = %q", s)
	}
	h2, err := ParseHours(DefaultHours.String())
	if err != nil || h2 != DefaultHours {
		t.Errorf("round trip: %v %v", h2, err)
	}
	for _, bad := range []string{"", "mon 16:00-07:30", "funday 07:00-08:00", "mon-fri", "mon 7-8"} {
		if _, err := ParseHours(bad); err == nil {
			t.Errorf("ParseHours(%q) accepted", bad)
		}
	}
}

func TestBuiltinList(t *testing.T) {
	seen := map[string]bool{}
	national, cuti := 0, 0
	for _, h := range Builtin {
		if err := h.Validate(); err != nil {
			t.Error(err)
		}
		if seen[h.Date] {
			t.Errorf("%s listed twice", h.Date)
		}
		seen[h.Date] = true
		if h.Date[:4] == "2026" {
			switch h.Kind {
			case NationalHoliday:
				national++
			case CutiBersama:
				cuti++
			}
		}
	}
	// The 2026 SKB: 17 national holidays and 8 cuti bersama days.
	if national != 17 || cuti != 8 {
		t.Errorf("2026: %d national holidays and %d cuti bersama, want 17 and 8", national, cuti)
	}
}
