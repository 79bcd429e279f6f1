package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// slaScanKind is the periodic SLA job: escalations and auto-closes.
const slaScanKind = "reports.sla_scan"

// slaScanEvery is how often it runs; deadlines are minutes apart at best
// (emergencies), days apart usually.
const slaScanEvery = 5 * time.Minute

// RegisterJobs implements app.JobRegistrar.
func (m *Module) RegisterJobs(q *jobs.Queue, d *app.Deps) {
	q.Register(slaScanKind, func(ctx context.Context, _ *jobs.Job) error {
		n, err := m.ScanSLA(ctx)
		if n > 0 {
			d.Log.Info("reports: SLA scan", "changed", n)
		}
		return err
	}, jobs.WithTimeout(4*time.Minute))
	q.Schedule(slaScanKind, slaScanEvery)
}

// ScanSLA acts on every report whose next check is due: an overdue report
// goes to the unit's supervisor, and if still overdue EscalateHeadAfterDays
// working days later to the unit's head; a "selesai" report without the
// reporter's reply closes after AutoCloseAfterDays working days. Each
// report changes in its own transaction; a crash resumes where it
// stopped. It returns how many reports changed.
func (m *Module) ScanSLA(ctx context.Context) (int, error) {
	changed := 0
	for round := 0; round < 100; round++ {
		now := m.now()
		rows, err := m.d.DB.QueryContext(ctx, `SELECT id FROM reports WHERE next_check_at IS NOT NULL AND next_check_at <= $1
			ORDER BY next_check_at, id LIMIT 200`, database.TimeArg(now))
		if err != nil {
			return changed, err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return changed, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return changed, err
		}
		if len(ids) == 0 {
			return changed, nil
		}
		for _, id := range ids {
			if err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error { return m.checkOne(ctx, tx, id, now) }); err != nil {
				return changed, fmt.Errorf("report %d: %w", id, err)
			}
			changed++
		}
	}
	return changed, nil
}

// checkOne applies what is due for one report.
func (m *Module) checkOne(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	r, err := m.lockReport(ctx, tx, `r.id = $1`, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.NextCheckAt.IsZero() || r.NextCheckAt.After(now) {
		return nil
	}
	sys := systemActor("job:" + slaScanKind)
	switch {
	case r.Status == StatusDone:
		_, err := m.apply(ctx, tx, r, change{Kind: EventAutoClosed, Status: StatusClosed, Public: true, Actor: sys, Notify: true})
		return err
	case r.Status.Open() && r.EscalationLevel < 2:
		level := r.EscalationLevel + 1
		recipients, label, err := m.escalationRecipients(ctx, tx, r.Unit, level)
		if err != nil {
			return err
		}
		if _, err := m.apply(ctx, tx, r, change{Kind: EventEscalated, Public: false, Actor: sys, Reason: strconv.Itoa(level), Note: label}); err != nil {
			return err
		}
		cat, _, _ := m.cats.get(ctx, r.Category)
		body := m.t("id", "reports.notify_escalated", r.ID, cat.NameID, m.kelurahanName(r.Kelurahan),
			r.DueAt.In(m.d.Location).Format("02/01/2006 15:04"), m.d.Config.PublicURL()+"/petugas/laporan/"+itoa(r.ID))
		for _, to := range recipients {
			msg := notify.Message{Channel: notify.ChannelEmail, To: to, Subject: m.t("id", "reports.notify_escalated_subject", r.ID), Body: body, Tag: "report_escalated"}
			if _, err := m.d.Notifier.NotifyTx(ctx, tx, msg); err != nil {
				return err
			}
		}
		return nil
	default:
		// Nothing left to do: clear the check so the scan moves on.
		cal, err := m.calendar.Calendar(ctx)
		if err != nil {
			return err
		}
		deriveSLA(r, cal)
		if !r.NextCheckAt.After(now) {
			r.NextCheckAt = time.Time{}
		}
		return updateReport(ctx, tx, r)
	}
}

// escalationRecipients are the e-mail addresses of whom an escalation
// reaches: level 1 the unit's supervisors; level 2 the unit's head (its
// administrator account), or the parent unit's supervisors and
// administrators when the unit has none. The accounts tables are the
// platform's (package auth); only addresses are read.
func (m *Module) escalationRecipients(ctx context.Context, q database.Querier, unit string, level int) ([]string, string, error) {
	if level == 1 {
		list, err := staffEmails(ctx, q, unit, "supervisor")
		return list, "supervisor", err
	}
	list, err := staffEmails(ctx, q, unit, "unit_admin")
	if err != nil || len(list) > 0 {
		return list, "head", err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, "", err
	}
	u, ok := tree.Get(unit)
	if !ok || u.ParentCode == "" {
		return nil, "head", nil
	}
	a, err := staffEmails(ctx, q, u.ParentCode, "supervisor")
	if err != nil {
		return nil, "", err
	}
	b, err := staffEmails(ctx, q, u.ParentCode, "unit_admin")
	return append(a, b...), "head", err
}

func staffEmails(ctx context.Context, q database.Querier, unit, role string) ([]string, error) {
	return auth.StaffEmails(ctx, q, auth.StaffQuery{Unit: unit, Role: role})
}

type superviseView struct {
	base
	Overdue   []ListItem
	Escalated []ListItem
}

// supervisePage is GET /petugas/eskalasi: overdue and escalated reports
// of the supervisor's units.
func (m *Module) supervisePage(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	ctx := r.Context()
	s, err := m.scopeOf(r, PermSupervise)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	conds, args := s.where("", nil, nil)
	args = append(args, database.TimeArg(m.now()))
	overdue, _, err := listReports(ctx, m.d.DB, append(conds, "is_open = TRUE", "due_at < $"+strconv.Itoa(len(args))), args, 200)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	conds, args = s.where("", nil, nil)
	escalated, _, err := listReports(ctx, m.d.DB, append(conds, "is_open = TRUE", "escalation_level > 0"), args, 200)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.decorate(ctx, r, overdue)
	m.decorate(ctx, r, escalated)
	m.render(w, r, http.StatusOK, "supervise.html", sh.T(r, "reports.supervise_title"), &superviseView{Overdue: overdue, Escalated: escalated})
}
