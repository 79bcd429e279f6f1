package reports

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// actor is who made a change, for the history and the audit log.
type actor struct {
	Kind   string // staff, citizen, anonymous, apikey, system
	UserID int64
	Name   string // staff name or key name; never a citizen's
	Audit  audit.Actor
}

func actorOf(r *http.Request) actor {
	p := web.PrincipalOf(r)
	a := actor{Audit: auth.ActorOf(p, web.ClientIP(r))}
	switch {
	case !p.Authenticated():
		a.Kind = "anonymous"
	case p.Kind == auth.Staff:
		a.Kind, a.UserID, a.Name = "staff", p.UserID, p.Name
		if a.Name == "" {
			a.Name = p.Username
		}
	case p.Kind == auth.Citizen:
		a.Kind, a.UserID = "citizen", p.UserID
	case p.Kind == auth.APIKey:
		a.Kind, a.Name = "apikey", p.Name
	}
	return a
}

func systemActor(name string) actor {
	return actor{Kind: "system", Name: name, Audit: audit.System(name)}
}

// change is one step of a report's life, applied by apply.
type change struct {
	Kind     string
	Status   Status // the new status; "" keeps the current one
	Public   bool   // shown on the citizen's timeline
	Actor    actor
	ToUnit   string // transfer
	Reason   string
	Note     string
	Assignee *struct {
		ID   int64
		Name string
	}
	Photos []files.Saved // proof of work, attached to the event
	// Notify tells the reporter and followers (public state changes).
	Notify bool
}

// responseKinds are the staff actions that count as the first response
// the SLA measures (the citizen sees that someone picked the report up).
var responseKinds = map[string]bool{EventVerified: true, EventTransferred: true, EventProgress: true, EventUpdate: true,
	EventRejected: true, EventDone: true, EventAssigned: true, EventMerged: true}

// apply performs a change inside tx: the report row, the deadlines, the
// history entry (with photos), the audit entry and the notifications
// commit together or not at all. r is updated in place.
func (m *Module) apply(ctx context.Context, tx *sql.Tx, r *Report, ch change) (int64, error) {
	now := m.now()
	from := r.Status
	if ch.Status != "" {
		r.Status = ch.Status
	}
	if responseKinds[ch.Kind] && r.FirstResponseAt.IsZero() && ch.Actor.Kind == "staff" {
		r.FirstResponseAt = now
	}
	cat, _, err := m.cats.get(ctx, r.Category)
	if err != nil {
		return 0, err
	}
	switch ch.Kind {
	case EventTransferred:
		r.Unit = ch.ToUnit
		r.AssigneeID, r.AssigneeName = 0, ""
		sc, err := m.slaFor(ctx, r.Unit)
		if err != nil {
			return 0, err
		}
		startTargets(r, cat, sc, now, true)
	case EventAssigned:
		if ch.Assignee != nil {
			r.AssigneeID, r.AssigneeName = ch.Assignee.ID, ch.Assignee.Name
		}
	case EventDone:
		r.DoneAt = now
	case EventConfirmed, EventAutoClosed:
		r.ClosedAt = now
	case EventRejected, EventMerged:
		r.ClosedAt, r.RejectReason = now, ch.Reason
	case EventReopened:
		// The unit owes the work again: "done" is cleared and the
		// resolution target starts over from the reopening.
		r.DoneAt = time.Time{}
		sc, err := m.slaFor(ctx, r.Unit)
		if err != nil {
			return 0, err
		}
		startTargets(r, cat, sc, now, false)
	case EventEscalated:
		r.EscalationLevel++
	}
	cal, err := m.calendar.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	// Escalating keeps the deadline, so deriveSLA keeps the raised level
	// and moves the next check up the ladder.
	deriveSLA(r, cal)
	r.UpdatedAt = now
	m.touched()
	if err := updateReport(ctx, tx, r); err != nil {
		return 0, err
	}
	var actorUser any
	if ch.Actor.UserID != 0 {
		actorUser = ch.Actor.UserID
	}
	eventID, err := m.insertID(ctx, tx, `INSERT INTO report_events (report_id, at, kind, status, public, actor_kind, actor_user_id, actor_name,
		unit_code, to_unit_code, reason, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ID, database.TimeArg(now), ch.Kind, string(r.Status), ch.Public, ch.Actor.Kind, actorUser, ch.Actor.Name,
		r.Unit, ch.ToUnit, ch.Reason, ch.Note)
	if err != nil {
		return 0, err
	}
	for _, p := range ch.Photos {
		if err := insertPhoto(ctx, tx, r.ID, eventID, p, now); err != nil {
			return 0, err
		}
	}
	after := map[string]any{"status": r.Status, "unit": r.Unit}
	if ch.Reason != "" {
		after["reason"] = ch.Reason
	}
	if ch.ToUnit != "" {
		after["to_unit"] = ch.ToUnit
	}
	if ch.Kind == EventEscalated {
		after["level"] = r.EscalationLevel
	}
	if err := m.d.Audit.Record(ctx, tx, audit.Entry{Actor: ch.Actor.Audit, Action: "report." + ch.Kind, ObjectType: "report",
		ObjectID: audit.ObjectID(r.ID), Before: map[string]any{"status": from}, After: after}); err != nil {
		return 0, err
	}
	if ch.Notify {
		if err := m.notifyFollowers(ctx, tx, r, ch); err != nil {
			return 0, err
		}
	}
	return eventID, nil
}

// updateReport writes every mutable column of r.
func updateReport(ctx context.Context, tx *sql.Tx, r *Report) error {
	var assignee, merged, rating any
	if r.AssigneeID != 0 {
		assignee = r.AssigneeID
	}
	if r.MergedInto != 0 {
		merged = r.MergedInto
	}
	if r.Rating != 0 {
		rating = r.Rating
	}
	_, err := tx.ExecContext(ctx, `UPDATE reports SET status = $2, is_open = $3, listed = $4, unit_code = $5,
		assignee_user_id = $6, assignee_name = $7, supporters = $8, merged_into = $9, reject_reason = $10,
		escalation_level = $11, updated_at = $12, first_response_at = $13, done_at = $14, closed_at = $15,
		response_due_at = $16, resolution_due_at = $17, due_at = $18, next_check_at = $19, rating = $20, rating_comment = $21
		WHERE id = $1`,
		r.ID, string(r.Status), r.Status.Open(), r.Listed, r.Unit, assignee, r.AssigneeName, r.Supporters, merged, r.RejectReason,
		r.EscalationLevel, database.TimeArg(r.UpdatedAt), database.NullTimeArg(r.FirstResponseAt), database.NullTimeArg(r.DoneAt),
		database.NullTimeArg(r.ClosedAt), database.NullTimeArg(r.ResponseDueAt), database.NullTimeArg(r.ResolutionDueAt),
		database.NullTimeArg(r.DueAt), database.NullTimeArg(r.NextCheckAt), rating, r.RatingComment)
	return err
}

func insertPhoto(ctx context.Context, tx database.Querier, reportID, eventID int64, p files.Saved, now time.Time) error {
	var ev any
	if eventID != 0 {
		ev = eventID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO report_photos (report_id, event_id, file_key, content_type, width, height, size_bytes, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, reportID, ev, p.Key, string(p.ContentType), p.Width, p.Height, p.Size, database.TimeArg(now))
	return err
}
