package growth

import (
	"math"
	"time"
)

const (
	// daysPerMonth is the average month WHO uses to convert between ages in
	// months and in days (365.25/12).
	daysPerMonth = 30.4375

	// MaxAgeDays is the oldest age the standards cover. WHO Anthro computes
	// z-scores while the unrounded age is under 60 months (anthro 0.9.3
	// onwards): 1826 days is 59.99 months, 1827 days is 60.02.
	MaxAgeDays = 1826

	// maxMonths bounds AgeDaysFromMonths so that the conversion to int can
	// never overflow; any age this large is rejected anyway.
	maxMonths = 1e6
)

// AgeInDays returns a child's age in completed days on the day of a
// measurement, as WHO Anthro computes it from the date of birth and the date
// of the visit. Both are read as calendar dates in their own location (a
// date of birth has no time of day), so the result does not depend on the
// hour of the visit or on daylight-saving shifts.
func AgeInDays(birth, measured time.Time) (int, error) {
	days := civilDay(measured) - civilDay(birth)
	if days < 0 {
		return 0, &InputError{Field: FieldMeasuredOn, Code: CodeMeasuredBeforeBirth,
			Detail: "the measurement date is before the date of birth"}
	}
	return int(days), nil
}

// civilDay numbers the calendar date of t, in t's location, counting days
// from 1970-01-01.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	// Midnight UTC is a whole number of days after the epoch, so the
	// division is exact for dates before 1970 as well.
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// AgeDaysFromMonths converts an age in months, as recorded on a KMS card or
// in a survey, to days the way WHO Anthro does: months × 30.4375, rounded
// half up (anthro's round_up; 24 months = 730.5 days becomes 731 and so uses
// the standing-height tables).
//
// WHO Anthro decides whether a child is covered on the unrounded age
// (months < 60), but 60.000–60.008 months round down to 1826 days, which
// the tables cover. Those ages are returned as 1827 days so that Assess
// gives no z-scores for them, as WHO Anthro does not.
//
// One difference remains: WHO's "standing under 9 months" rule (see Assess)
// also looks at the unrounded age, and 8.986–8.999 months round to 274 days,
// which is 9.002 months. Record ages as dates where the 9-month boundary
// matters.
func AgeDaysFromMonths(months float64) (int, error) {
	if !(months >= 0 && months <= maxMonths) {
		return 0, &InputError{Field: FieldAgeMonths, Code: CodeAgeInvalid,
			Detail: "the age in months must be a number from 0"}
	}
	days := int(roundHalfUp(months * daysPerMonth))
	if months >= 60 && days <= MaxAgeDays {
		days = MaxAgeDays + 1
	}
	return days, nil
}

// roundHalfUp rounds a non-negative number to a whole number, halves up
// (anthro's round_up).
func roundHalfUp(x float64) float64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		f++
	}
	return f
}
