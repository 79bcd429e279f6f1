package reports

import (
	"context"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

// SLA rules (DOMAIN.md §3, SP4N-LAPOR!). The category's targets are
// configurable; these two are the city's policy, kept here in one place.
const (
	// EscalateHeadAfterDays: a report still overdue this many working
	// days after it was escalated to the unit's supervisor goes to the
	// unit's head.
	EscalateHeadAfterDays = 2
	// AutoCloseAfterDays: a report "selesai" without the reporter's reply
	// closes itself after this many working days; within them the
	// reporter may reopen it.
	AutoCloseAfterDays = 10
)

// slaClock is what deadline arithmetic needs for one unit.
type slaClock struct {
	cal   *workdays.Calendar
	hours workdays.Hours
}

func (m *Module) slaFor(ctx context.Context, unit string) (slaClock, error) {
	cal, err := m.calendar.Calendar(ctx)
	if err != nil {
		return slaClock{}, err
	}
	hours, err := m.calendar.UnitHours(ctx, unit)
	if err != nil {
		return slaClock{}, err
	}
	return slaClock{cal, hours}, nil
}

// startTargets sets the response and resolution deadlines running from
// at: when the report arrives, when another unit receives it, and (for
// the resolution) when the reporter reopens it.
func startTargets(r *Report, cat Category, sc slaClock, at time.Time, response bool) {
	if response {
		r.ResponseDueAt = cat.Response.Due(sc.cal, at, sc.hours)
	}
	r.ResolutionDueAt = cat.Resolution.Due(sc.cal, at, sc.hours)
}

// deriveSLA recomputes the running deadline and the next time the SLA
// job must look at the report, after any change. A new deadline starts
// the escalation ladder again.
func deriveSLA(r *Report, cal *workdays.Calendar) {
	var due time.Time
	switch r.Status {
	case StatusReceived, StatusTransferred:
		due = r.ResponseDueAt
	case StatusVerified, StatusInProgress:
		due = r.ResolutionDueAt
	}
	if !due.Equal(r.DueAt) {
		r.DueAt = due
		r.EscalationLevel = 0
	}
	switch {
	case r.Status.Open() && !r.DueAt.IsZero():
		switch r.EscalationLevel {
		case 0:
			r.NextCheckAt = r.DueAt
		case 1:
			r.NextCheckAt = cal.AddWorkingDays(r.DueAt, EscalateHeadAfterDays)
		default:
			r.NextCheckAt = time.Time{}
		}
	case r.Status == StatusDone && !r.DoneAt.IsZero():
		r.NextCheckAt = closeDue(r, cal)
	default:
		r.NextCheckAt = time.Time{}
	}
}

// closeDue is when a "selesai" report closes itself.
func closeDue(r *Report, cal *workdays.Calendar) time.Time {
	return cal.AddWorkingDays(r.DoneAt, AutoCloseAfterDays)
}

// mayReopen reports whether the reporter may still reopen a finished
// report at now (within AutoCloseAfterDays working days of "selesai").
func mayReopen(r *Report, cal *workdays.Calendar, now time.Time) bool {
	return r.Status == StatusDone && !r.DoneAt.IsZero() && cal.WorkingDaysBetween(r.DoneAt, now) <= AutoCloseAfterDays &&
		now.Before(closeDue(r, cal))
}
