package services

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// resolveUnit turns a stage's unit (or pseudo-unit) into a unit code.
func resolveUnit(unit, kelurahanCode string) string {
	switch unit {
	case UnitKelurahan:
		return "kel-" + kelurahanCode
	case UnitKecamatan:
		// Kemendagri codes: the kecamatan is the first three segments.
		if i := strings.LastIndex(kelurahanCode, "."); i > 0 {
			return "kec-" + kelurahanCode[:i]
		}
	}
	return unit
}

// Submit sends a complete draft (or a fixed returned file) to the first
// stages. It answers the file with its number.
func (m *Module) Submit(ctx context.Context, p *auth.Principal, ip string, id int64) (*Application, error) {
	cal, err := m.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var notifyApp *Application
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := m.ownApp(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status != StatusDraft && a.Status != StatusRevision {
			return errConflict("not_editable", "services.err_not_editable")
		}
		svc, err := m.service(ctx, tx, a.ServiceCode)
		if err != nil {
			return err
		}
		ups, err := m.uploads(ctx, tx, id)
		if err != nil {
			return err
		}
		items := Checklist(svc, a, ups)
		if !complete(items) {
			e := errInvalid("services.err_incomplete", nil)
			e.Checklist = items
			return e
		}
		if svc.Requires != "" {
			if err := m.checkPrerequisite(ctx, tx, svc, a); err != nil {
				return err
			}
		}
		now := m.d.Clock.Now()
		actor := auth.ActorOf(p, ip)
		snapshot := map[string]any{"fields": a.Fields, "documents": ups}
		if a.Status == StatusDraft {
			seq, err := nextCounter(ctx, tx, "file:"+svc.Code+":"+now.In(m.d.Location).Format("2006"))
			if err != nil {
				return err
			}
			a.Number = fmt.Sprintf("%s-%s-%06d", strings.ToUpper(svc.Code), now.In(m.d.Location).Format("2006"), seq)
			a.Revision = 1
			if _, err := tx.ExecContext(ctx, `UPDATE svc_applications SET number = $1, status = $2, revision = 1, submitted_at = $3,
				ref_number = $4, version = version + 1 WHERE id = $5`, a.Number, StatusInProgress, database.TimeArg(now), a.Fields[svc.Requires+"_number"], id); err != nil {
				return err
			}
			for i, st := range svc.Stages {
				if _, err := tx.ExecContext(ctx, `INSERT INTO svc_stages (application_id, code, position, unit_code, status)
					VALUES ($1, $2, $3, $4, $5)`, id, st.Code, i, resolveUnit(st.Unit, a.KelurahanCode), StagePending); err != nil {
					return err
				}
			}
			if err := m.addEvent(ctx, tx, id, Event{Kind: "submitted", Actor: "pemohon", Revision: 1}); err != nil {
				return err
			}
			if _, err := m.advance(ctx, tx, cal, svc, a); err != nil {
				return err
			}
		} else {
			a.Revision++
			if _, err := tx.ExecContext(ctx, `UPDATE svc_applications SET status = $1, revision = $2, version = version + 1 WHERE id = $3`,
				StatusInProgress, a.Revision, id); err != nil {
				return err
			}
			// The stage that returned the file takes it back with a fresh SLA.
			rows, err := m.stages(ctx, tx, id)
			if err != nil {
				return err
			}
			for _, s := range rows {
				if s.Status != StageReturned {
					continue
				}
				st, _, _ := svc.stage(s.Code)
				if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET status = $1, started_at = $2, due_at = $3, escalated_at = NULL,
					version = version + 1 WHERE id = $4`, StageActive, database.TimeArg(now), database.TimeArg(cal.AddWorkingDays(now, st.SLADays)), s.ID); err != nil {
					return err
				}
			}
			if err := m.addEvent(ctx, tx, id, Event{Kind: "resubmitted", Actor: "pemohon", Revision: a.Revision}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO svc_versions (application_id, revision, snapshot, created_at) VALUES ($1, $2, $3, $4)`,
			id, a.Revision, mustJSON(snapshot), database.TimeArg(now)); err != nil {
			return err
		}
		if err := m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "service_application.submitted", ObjectType: "service_application",
			ObjectID: audit.ObjectID(id), After: map[string]any{"number": a.Number, "revision": a.Revision}}); err != nil {
			return err
		}
		notifyApp = a
		return m.notifyApplicant(ctx, tx, a, "services.msg_submitted", a.Number)
	})
	if err != nil {
		return nil, err
	}
	_ = notifyApp
	return m.appByID(ctx, m.d.DB, id)
}

// checkPrerequisite enforces "PBG needs an approved PKKPR of the same
// applicant for the same parcel".
func (m *Module) checkPrerequisite(ctx context.Context, tx *sql.Tx, svc *Service, a *Application) error {
	ref := strings.TrimSpace(a.Fields[svc.Requires+"_number"])
	refuse := func(key string) error {
		return errInvalid(key, map[string]string{svc.Requires + "_number": key})
	}
	if ref == "" {
		return refuse("services.err_prerequisite_missing")
	}
	pre, err := m.appByNumber(ctx, tx, ref)
	if err != nil || pre.ServiceCode != svc.Requires || pre.ApplicantID != a.ApplicantID {
		return refuse("services.err_prerequisite_unknown")
	}
	if pre.Status != StatusCompleted {
		return refuse("services.err_prerequisite_not_approved")
	}
	if !strings.EqualFold(strings.TrimSpace(pre.Parcel), strings.TrimSpace(a.Parcel)) {
		return refuse("services.err_prerequisite_parcel")
	}
	return nil
}

// advance starts every pending stage whose predecessors are done and
// reports whether every stage is done (the file is complete).
func (m *Module) advance(ctx context.Context, tx *sql.Tx, cal interface {
	AddWorkingDays(time.Time, int) time.Time
}, svc *Service, a *Application) (bool, error) {
	rows, err := m.stages(ctx, tx, a.ID)
	if err != nil {
		return false, err
	}
	status := map[string]string{}
	for _, s := range rows {
		status[s.Code] = s.Status
	}
	now := m.d.Clock.Now()
	allDone := true
	for i, st := range svc.Stages {
		if status[st.Code] != StageDone {
			allDone = false
		}
		if status[st.Code] != StagePending {
			continue
		}
		ready := true
		for _, p := range svc.predecessors(i) {
			if status[p] != StageDone {
				ready = false
			}
		}
		if !ready {
			continue
		}
		unit := resolveUnit(st.Unit, a.KelurahanCode)
		if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET status = $1, started_at = $2, due_at = $3, version = version + 1
			WHERE application_id = $4 AND code = $5 AND status = $6`, StageActive, database.TimeArg(now),
			database.TimeArg(cal.AddWorkingDays(now, st.SLADays)), a.ID, st.Code, StagePending); err != nil {
			return false, err
		}
		if err := m.addEvent(ctx, tx, a.ID, Event{Kind: "stage_started", StageCode: st.Code, UnitCode: unit, Revision: a.Revision}); err != nil {
			return false, err
		}
	}
	return allDone, nil
}

// ActInput is an officer's action on a stage.
type ActInput struct {
	Action  string
	Note    string
	Data    map[string]string
	Version int // the stage version the officer saw; 0 = current
}

// Act applies an officer's action to an active stage. Illegal actions
// change nothing: 403 when the stage is not the officer's, 409 when the
// stage or file is not open or someone else acted first.
func (m *Module) Act(ctx context.Context, p *auth.Principal, ip, number, stageCode string, in ActInput) (*Application, error) {
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := m.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	// The signing key is loaded (or created) before the transaction: on
	// SQLite its first insert would wait for the writer the
	// transaction holds.
	if _, err := m.key(ctx); err != nil {
		return nil, err
	}
	var id int64
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := m.appByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		id = a.ID
		svc, err := m.service(ctx, tx, a.ServiceCode)
		if err != nil {
			return err
		}
		def, _, ok := svc.stage(stageCode)
		if !ok {
			return errNotFound()
		}
		s, err := scanStage(tx.QueryRowContext(ctx, `SELECT `+stageColumns+` FROM svc_stages WHERE application_id = $1 AND code = $2`, a.ID, stageCode))
		if err != nil {
			return err
		}
		if !p.Can("services.handle", s.UnitCode, tree) {
			return errForbidden()
		}
		if a.Closed() {
			return errConflict("closed", "services.err_closed")
		}
		if s.Status != StageActive || a.Status != StatusInProgress {
			return errConflict("not_active", "services.err_stage_not_active")
		}
		if in.Version != 0 && in.Version != s.Version {
			return errConflict("stale", "services.err_stale")
		}
		if def.Payment || !slices.Contains(def.Actions, in.Action) {
			return errConflict("action_not_allowed", "services.err_action_not_allowed")
		}
		note := strings.TrimSpace(in.Note)
		if len([]rune(note)) > 2000 {
			return errInvalid("services.err_check_fields", map[string]string{"note": "services.err_too_long"})
		}
		data := s.Data
		newStatus := StageDone
		switch in.Action {
		case ActApprove:
			values, problems := CheckValues(def.Records, in.Data)
			if len(problems) > 0 {
				return errInvalid("services.err_check_fields", problems)
			}
			data = values
		case ActReturn, ActRequestDocs:
			if note == "" {
				return errInvalid("services.err_check_fields", map[string]string{"note": "services.err_note_required"})
			}
			newStatus = StageReturned
		case ActReject:
			if note == "" {
				return errInvalid("services.err_check_fields", map[string]string{"note": "services.err_reason_required"})
			}
			newStatus = StageRejected
		}
		now := m.d.Clock.Now()
		// The version and status in the WHERE clause make the update the
		// arbiter between concurrent officers: exactly one matches.
		res, err := tx.ExecContext(ctx, `UPDATE svc_stages SET status = $1, note = $2, data = $3, finished_at = $4, assignee_id = $5,
			version = version + 1 WHERE id = $6 AND version = $7 AND status = $8`, newStatus, note, mustJSON(data),
			database.NullTimeArg(finishedAt(newStatus, now)), p.UserID, s.ID, s.Version, StageActive)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errConflict("stale", "services.err_stale")
		}
		if err := m.addEvent(ctx, tx, a.ID, Event{Kind: in.Action, StageCode: s.Code, UnitCode: s.UnitCode, Actor: p.Username,
			Note: note, Revision: a.Revision}); err != nil {
			return err
		}
		if err := m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_stage." + in.Action,
			ObjectType: "service_application", ObjectID: audit.ObjectID(a.ID), After: map[string]any{"stage": s.Code, "data": data},
			Note: note}); err != nil {
			return err
		}
		switch newStatus {
		case StageReturned:
			if _, err := tx.ExecContext(ctx, `UPDATE svc_applications SET status = $1, version = version + 1 WHERE id = $2`, StatusRevision, a.ID); err != nil {
				return err
			}
			return m.notifyApplicant(ctx, tx, a, "services.msg_returned", a.Number, note)
		case StageRejected:
			if _, err := tx.ExecContext(ctx, `UPDATE svc_applications SET status = $1, completed_at = $2, version = version + 1 WHERE id = $3`,
				StatusRejected, database.TimeArg(now), a.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET status = $1, version = version + 1 WHERE application_id = $2 AND status IN ($3, $4)`,
				StageCancelled, a.ID, StageActive, StagePending); err != nil {
				return err
			}
			return m.notifyApplicant(ctx, tx, a, "services.msg_rejected", a.Number, note)
		}
		zeroBill := ""
		if def.Bill != "" {
			number, amount, err := m.createBill(ctx, tx, cal, a, def, data)
			if err != nil {
				return err
			}
			if amount == 0 {
				zeroBill = number
			}
		}
		if err := m.afterStageDone(ctx, tx, cal, svc, a, def); err != nil {
			return err
		}
		if zeroBill != "" {
			// Nothing to pay (e.g. a religious building): the payment
			// stage, started just now, completes at once instead of
			// waiting for a zero transfer.
			return m.settle(ctx, tx, cal, svc, a, zeroBill, 0, "nihil", audit.System("services:zero-bill"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m.appByID(ctx, m.d.DB, id)
}

func finishedAt(status string, now time.Time) time.Time {
	if status == StageDone || status == StageRejected {
		return now
	}
	return time.Time{}
}

// afterStageDone starts the next stages, or completes and issues the
// file when none is left.
func (m *Module) afterStageDone(ctx context.Context, tx *sql.Tx, cal interface {
	AddWorkingDays(time.Time, int) time.Time
}, svc *Service, a *Application, def Stage) error {
	done, err := m.advance(ctx, tx, cal, svc, a)
	if err != nil {
		return err
	}
	if !done {
		return m.notifyApplicant(ctx, tx, a, "services.msg_stage_done", a.Number, def.Name)
	}
	now := m.d.Clock.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE svc_applications SET status = $1, completed_at = $2, version = version + 1 WHERE id = $3`,
		StatusCompleted, database.TimeArg(now), a.ID); err != nil {
		return err
	}
	a.Status, a.CompletedAt = StatusCompleted, now
	docNumber, err := m.issue(ctx, tx, svc, a)
	if err != nil {
		return err
	}
	if err := m.addEvent(ctx, tx, a.ID, Event{Kind: "issued", Note: docNumber, Revision: a.Revision}); err != nil {
		return err
	}
	return m.notifyApplicant(ctx, tx, a, "services.msg_completed", a.Number, docNumber)
}

// notifyApplicant queues a message to the applicant inside tx, so it is
// sent only if the change commits.
func (m *Module) notifyApplicant(ctx context.Context, tx *sql.Tx, a *Application, key string, args ...any) error {
	if a.Phone == "" {
		return nil
	}
	body := m.d.Shell.Catalog().T("id", key, args...)
	_, err := m.d.Notifier.NotifyTx(ctx, tx, notify.Message{Channel: notify.ChannelSMS, To: a.Phone, Body: body, Locale: "id",
		Tag: "service_status"})
	return err
}
