package services

import (
	"context"
	"database/sql"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

const jobEscalate = "services.escalate"

// breach is an active stage past its due date.
type breach struct {
	id, app                     int64
	number, service, code, unit string
	due                         time.Time
}

// escalateJob marks stages past their due date as escalated (once), so
// supervisors see the breach in their list and the timeline records it,
// and tells the unit's supervisors by e-mail.
func (m *Module) escalateJob(ctx context.Context, _ *jobs.Job) error {
	now := m.d.Clock.Now()
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	names := m.stageNames(ctx)
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.application_id, COALESCE(a.number, ''), a.service_code, s.code, s.unit_code, s.due_at
			FROM svc_stages s JOIN svc_applications a ON a.id = s.application_id
			WHERE s.status = $1 AND s.due_at < $2 AND s.escalated_at IS NULL ORDER BY s.due_at LIMIT 1000`, StageActive, database.TimeArg(now))
		if err != nil {
			return err
		}
		var hits []breach
		for rows.Next() {
			var h breach
			if err := rows.Scan(&h.id, &h.app, &h.number, &h.service, &h.code, &h.unit, database.T(&h.due)); err != nil {
				rows.Close()
				return err
			}
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(hits) == 0 {
			return nil
		}
		sups, err := supervisors(ctx, tx)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET escalated_at = $1 WHERE id = $2`, database.TimeArg(now), h.id); err != nil {
				return err
			}
			if err := m.addEvent(ctx, tx, h.app, Event{Kind: "escalated", StageCode: h.code, UnitCode: h.unit, Actor: "sistem"}); err != nil {
				return err
			}
			if err := m.d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("job:" + jobEscalate), Action: "service_stage.escalated",
				ObjectType: "service_application", ObjectID: audit.ObjectID(h.app), After: map[string]any{"stage": h.code, "unit": h.unit}}); err != nil {
				return err
			}
			if err := m.notifySupervisors(ctx, tx, tree, sups, h, names); err != nil {
				return err
			}
		}
		m.d.Log.Info("service stages escalated", "count", len(hits))
		return nil
	})
}

// supervisor is a staff account holding services.supervise.
type supervisor struct {
	username, email, unit, scope string
}

// supervisors lists the active accounts whose roles grant
// services.supervise, read from the role tables so that a grant an
// administrator changes applies at once.
func supervisors(ctx context.Context, tx *sql.Tx) ([]supervisor, error) {
	rows, err := tx.QueryContext(ctx, `SELECT u.username, u.email, COALESCE(u.unit_code, ''), rp.scope FROM users u
		JOIN user_roles ur ON ur.user_id = u.id
		JOIN role_permissions rp ON rp.role_code = ur.role_code AND rp.permission = 'services.supervise'
		WHERE u.kind = 'staff' AND u.disabled = FALSE AND u.deleted_at IS NULL ORDER BY u.username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []supervisor
	for rows.Next() {
		var s supervisor
		if err := rows.Scan(&s.username, &s.email, &s.unit, &s.scope); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// notifySupervisors e-mails the supervisors over the stage's unit (their
// unit or a unit above it). City-wide holders (administrators) are told
// only when the unit has no supervisor of its own, so a breach always
// reaches someone without flooding the administrators with every one.
func (m *Module) notifySupervisors(ctx context.Context, tx *sql.Tx, tree *units.Tree, sups []supervisor, h breach, names map[string]string) error {
	var local, city []supervisor
	for _, s := range sups {
		switch {
		case s.scope == "city":
			city = append(city, s)
		case s.unit == h.unit, s.scope == "subtree" && s.unit != "" && tree.IsWithin(h.unit, s.unit):
			local = append(local, s)
		}
	}
	to := local
	if len(to) == 0 {
		to = city
	}
	unitName := h.unit
	if u, ok := tree.Get(h.unit); ok {
		unitName = u.Name
	}
	stageName := names[h.service+"/"+h.code]
	if stageName == "" {
		stageName = h.code
	}
	due := h.due.In(m.d.Location).Format("02/01/2006 15:04")
	body := m.d.Shell.Catalog().T("id", "services.msg_escalated", h.number, stageName, unitName, due)
	for _, s := range to {
		if s.email == "" {
			// Staff accounts reach notifications only by e-mail; the
			// breach still shows in the supervisor's list.
			continue
		}
		if _, err := m.d.Notifier.NotifyTx(ctx, tx, notify.Message{Channel: notify.ChannelEmail, To: s.email, Subject: body, Body: body,
			Locale: "id", Tag: "service_escalation"}); err != nil {
			return err
		}
	}
	return nil
}
