package idnum

import "time"

// resolveYear turns a two-digit year into a full one for a date that cannot
// lie in the future (a birth date or an issue date): it takes the century of
// today, unless that would put the date after today, in which case it is the
// previous century. A person aged 100 or more is therefore read as a baby;
// nothing in the number can tell the two apart.
func resolveYear(yy, month, day int, today time.Time) int {
	ty := today.Year()
	year := ty - mod(ty, 100) + yy
	if afterDay(year, month, day, today) {
		year -= 100
	}
	return year
}

// mod is the non-negative remainder, so that a zero or negative today cannot
// produce a nonsense century.
func mod(a, b int) int {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}

// dateExists reports whether year-month-day is a day of the Gregorian
// calendar, rejecting 31 April and 29 February outside leap years.
func dateExists(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysIn(year, time.Month(month))
}

func daysIn(year int, month time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// civilDate is a calendar day as a time.Time at midnight UTC, the form this
// package returns dates in, so that equal days compare equal with ==.
func civilDate(year, month, day int) time.Time {
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// afterDay reports whether the calendar day y-m-d comes after today's
// calendar day in today's own location.
func afterDay(y, m, d int, today time.Time) bool {
	ty, tm, td := today.Date()
	if y != ty {
		return y > ty
	}
	if m != int(tm) {
		return m > int(tm)
	}
	return d > td
}
