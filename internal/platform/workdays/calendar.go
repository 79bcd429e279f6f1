// Package workdays owns the city's working-day calendar (DOMAIN.md §1):
// Monday to Friday minus national holidays and cuti bersama, office hours
// per unit (default Mon–Thu 07:30–16:00, Fri 07:30–16:30, Perpres
// 21/2023), and the arithmetic every service-level target needs: "3
// working days from now", "8 working hours from now", "how many working
// days since". Reports, administrative services and any other module
// with deadlines share it.
//
// Days are calendar days in the city's zone (Asia/Makassar, WITA, UTC+8,
// no daylight saving); instants go in and come out as time.Time, so the
// caller's clock (a manual one in tests) decides what "now" is. A
// Calendar is an immutable snapshot; the Store loads it from the holidays
// table and reloads it when the table changes.
package workdays

import (
	"fmt"
	"strings"
	"time"
)

// Span is one day's office hours in minutes after midnight. A span whose
// Close is not after Open means the office is closed that weekday.
type Span struct{ Open, Close int }

// IsOpen reports whether the span has any office time.
func (s Span) IsOpen() bool { return s.Close > s.Open }

// Hours are office hours by weekday (index time.Weekday).
type Hours [7]Span

// DefaultHours are the civil service's office hours (Perpres 21/2023):
// Monday–Thursday 07:30–16:00, Friday 07:30–16:30. That is 43 hours at
// the office, 37.5 hours of work once the breaks are taken out; deadlines
// count the breaks as office time, because a citizen's report keeps
// waiting through lunch as well.
var DefaultHours = Hours{
	time.Monday:    {450, 960},
	time.Tuesday:   {450, 960},
	time.Wednesday: {450, 960},
	time.Thursday:  {450, 960},
	time.Friday:    {450, 990},
}

// Weekly is the total office time in a week without holidays.
func (h Hours) Weekly() time.Duration {
	var m int
	for _, s := range h {
		if s.IsOpen() {
			m += s.Close - s.Open
		}
	}
	return time.Duration(m) * time.Minute
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseHours reads a spec such as "mon-thu 07:30-16:00; fri 07:30-16:30".
// Days not named are closed; at least one day must be open.
func ParseHours(spec string) (Hours, error) {
	var h Hours
	any := false
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		days, times, ok := strings.Cut(part, " ")
		if !ok {
			return Hours{}, fmt.Errorf("office hours %q: want \"mon-fri 07:30-16:00\"", part)
		}
		first, last, err := dayRange(strings.ToLower(strings.TrimSpace(days)))
		if err != nil {
			return Hours{}, err
		}
		from, to, ok := strings.Cut(strings.TrimSpace(times), "-")
		if !ok {
			return Hours{}, fmt.Errorf("office hours %q: want HH:MM-HH:MM", part)
		}
		open, err1 := clockMinutes(from)
		closeAt, err2 := clockMinutes(to)
		if err1 != nil || err2 != nil || closeAt <= open {
			return Hours{}, fmt.Errorf("office hours %q: want HH:MM-HH:MM with the end after the start", part)
		}
		for d := first; ; d = (d + 1) % 7 {
			h[d] = Span{open, closeAt}
			if d == last {
				break
			}
		}
		any = true
	}
	if !any {
		return Hours{}, fmt.Errorf("office hours %q: no open day", spec)
	}
	return h, nil
}

func dayRange(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	first, ok1 := dayIndex(a)
	last, ok2 := first, true
	if isRange {
		last, ok2 = dayIndex(b)
	}
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("office hours: unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", s)
	}
	return first, last, nil
}

func dayIndex(s string) (int, bool) {
	for i, n := range dayNames {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// String writes the spec ParseHours reads, grouping equal neighbouring
// weekdays ("mon-thu 07:30-16:00; fri 07:30-16:30").
func (h Hours) String() string {
	var parts []string
	order := []int{1, 2, 3, 4, 5, 6, 0}
	for i := 0; i < len(order); {
		s := h[order[i]]
		j := i
		for j+1 < len(order) && h[order[j+1]] == s {
			j++
		}
		if s.IsOpen() {
			days := dayNames[order[i]]
			if j > i {
				days += "-" + dayNames[order[j]]
			}
			parts = append(parts, fmt.Sprintf("%s %02d:%02d-%02d:%02d", days, s.Open/60, s.Open%60, s.Close/60, s.Close%60))
		}
		i = j + 1
	}
	return strings.Join(parts, "; ")
}

// Calendar answers working-day questions in one time zone. It is an
// immutable snapshot, safe for concurrent use.
type Calendar struct {
	loc *time.Location
	off map[string]Holiday // by DateLayout day
}

// DateLayout is how days are written (in the calendar's zone).
const DateLayout = "2006-01-02"

// NewCalendar builds a calendar in loc with the given days off.
func NewCalendar(loc *time.Location, holidays []Holiday) *Calendar {
	c := &Calendar{loc: loc, off: make(map[string]Holiday, len(holidays))}
	for _, h := range holidays {
		c.off[h.Date] = h
	}
	return c
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// day is a calendar date in the calendar's zone.
type day struct {
	y int
	m time.Month
	d int
}

func (c *Calendar) dayOf(t time.Time) day {
	y, m, d := t.In(c.loc).Date()
	return day{y, m, d}
}

func (c *Calendar) midnight(d day) time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, c.loc) }

func (c *Calendar) next(d day) day {
	y, m, dd := time.Date(d.y, d.m, d.d+1, 12, 0, 0, 0, c.loc).Date()
	return day{y, m, dd}
}

func (c *Calendar) working(d day) bool {
	switch time.Date(d.y, d.m, d.d, 12, 0, 0, 0, c.loc).Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, off := c.off[fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)]
	return !off
}

// IsWorkingDay reports whether the calendar day of t (in the calendar's
// zone) is a working day: Monday–Friday and not a holiday or cuti
// bersama.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(c.dayOf(t)) }

// Holiday returns the holiday on t's calendar day, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.off[t.In(c.loc).Format(DateLayout)]
	return h, ok
}

// AddWorkingDays returns the same time of day n working days after t. An
// instant on a day off first moves to the start (00:00) of the next
// working day, so "1 working day" from Saturday noon ends at the end of
// Monday, not at Monday noon. n ≤ 0 returns t after that move.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	lt := t.In(c.loc)
	d := c.dayOf(lt)
	if !c.working(d) {
		for !c.working(d) {
			d = c.next(d)
		}
		lt = c.midnight(d)
	}
	for i := 0; i < n; {
		d = c.next(d)
		if c.working(d) {
			i++
		}
	}
	return time.Date(d.y, d.m, d.d, lt.Hour(), lt.Minute(), lt.Second(), lt.Nanosecond(), c.loc)
}

// AddWorkingHours returns the instant at which dur of office time (by the
// unit's hours, on working days only) has passed since t. Time before
// opening, after closing and on days off does not count: 2 working hours
// from Thursday 15:00 end on Friday 08:30. dur ≤ 0 returns t; hours
// without any open day are replaced by DefaultHours.
func (c *Calendar) AddWorkingHours(t time.Time, dur time.Duration, h Hours) time.Time {
	if dur <= 0 {
		return t
	}
	if h.Weekly() == 0 {
		h = DefaultHours
	}
	at := t.In(c.loc)
	remaining := dur
	for {
		d := c.dayOf(at)
		span := h[time.Date(d.y, d.m, d.d, 12, 0, 0, 0, c.loc).Weekday()]
		if c.working(d) && span.IsOpen() {
			open := c.midnight(d).Add(time.Duration(span.Open) * time.Minute)
			closeAt := c.midnight(d).Add(time.Duration(span.Close) * time.Minute)
			if at.Before(open) {
				at = open
			}
			if avail := closeAt.Sub(at); avail > 0 {
				if remaining <= avail {
					return at.Add(remaining)
				}
				remaining -= avail
			}
		}
		at = c.midnight(c.next(d))
	}
}

// WorkingDaysBetween counts the working days after a's calendar day up to
// and including b's (Friday → next Monday is 1); negative when b is
// before a. Times of day do not matter.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	da, db := c.dayOf(a), c.dayOf(b)
	sign := 1
	if c.midnight(db).Before(c.midnight(da)) {
		da, db, sign = db, da, -1
	}
	n := 0
	for d := da; d != db; {
		d = c.next(d)
		if c.working(d) {
			n++
		}
	}
	return sign * n
}
