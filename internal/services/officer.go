package services

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// QueueFilter narrows an officer's queue.
type QueueFilter struct {
	Unit        string // one unit (must be within the caller's reach)
	OverdueOnly bool
	Limit       int
	Permission  string // default services.handle
}

// QueueItem is one active stage waiting in a unit.
type QueueItem struct {
	Number      string     `json:"number"`
	Service     string     `json:"service"`
	Stage       string     `json:"stage"`
	Unit        string     `json:"unit"`
	Applicant   string     `json:"applicant"`
	NIK         string     `json:"nik"`
	StartedAt   time.Time  `json:"started_at"`
	DueAt       time.Time  `json:"due_at"`
	Overdue     bool       `json:"overdue"`
	Version     int        `json:"version"`
	AssigneeID  int64      `json:"assignee_id,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
}

// Queue lists active stages in the units the caller may handle, the
// most overdue first (ordered by due date).
func (m *Module) Queue(ctx context.Context, p *auth.Principal, f QueueFilter) ([]QueueItem, error) {
	perm := f.Permission
	if perm == "" {
		perm = "services.handle"
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var unitCodes []string
	if f.Unit != "" {
		if !p.Can(perm, f.Unit, tree) {
			return nil, errForbidden()
		}
		unitCodes = []string{f.Unit}
	} else if !p.CityWide(perm) {
		for _, u := range tree.All() {
			if p.Can(perm, u.Code, tree) {
				unitCodes = append(unitCodes, u.Code)
			}
		}
		if len(unitCodes) == 0 {
			return []QueueItem{}, nil
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	args := []any{StageActive}
	where := `s.status = $1`
	if unitCodes != nil {
		ph := make([]string, len(unitCodes))
		for i, c := range unitCodes {
			args = append(args, c)
			ph[i] = "$" + itoa(len(args))
		}
		where += ` AND s.unit_code IN (` + strings.Join(ph, ", ") + `)`
	}
	now := m.d.Clock.Now()
	if f.OverdueOnly {
		args = append(args, database.TimeArg(now))
		where += ` AND s.due_at < $` + itoa(len(args))
	}
	args = append(args, limit)
	rows, err := m.d.DB.QueryContext(ctx, `SELECT a.number, a.service_code, s.code, s.unit_code, a.applicant_name, a.nik_masked,
		s.started_at, s.due_at, s.version, COALESCE(s.assignee_id, 0), s.escalated_at
		FROM svc_stages s JOIN svc_applications a ON a.id = s.application_id
		WHERE `+where+` ORDER BY s.due_at, s.id LIMIT $`+itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []QueueItem{}
	for rows.Next() {
		var it QueueItem
		var esc time.Time
		if err := rows.Scan(&it.Number, &it.Service, &it.Stage, &it.Unit, &it.Applicant, &it.NIK, database.T(&it.StartedAt),
			database.T(&it.DueAt), &it.Version, &it.AssigneeID, database.T(&esc)); err != nil {
			return nil, err
		}
		it.Overdue = now.After(it.DueAt)
		it.EscalatedAt = tp(esc)
		out = append(out, it)
	}
	return out, rows.Err()
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// staffCanSee: the officer handles (or supervises) one of the file's
// stages' units.
func (m *Module) staffCanSee(ctx context.Context, p *auth.Principal, rows []StageRow) (bool, error) {
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return false, err
	}
	for _, s := range rows {
		if p.Can("services.handle", s.UnitCode, tree) {
			return true, nil
		}
	}
	return false, nil
}

type staffFileJSON struct {
	*appJSON
	ApplicantName string      `json:"applicant_name"`
	NIKFull       string      `json:"nik_full,omitempty"`
	Stages        []stageJSON `json:"stages"`
	Uploads       []Upload    `json:"uploads"`
}

// staffFile opens a file for an officer; reading the full NIK is logged.
func (m *Module) staffFile(r *http.Request, number string) (*staffFileJSON, error) {
	a, err := m.appByNumber(r.Context(), m.d.DB, number)
	if err != nil {
		return nil, err
	}
	return m.staffView(r, a, true)
}

func (m *Module) staffView(r *http.Request, a *Application, withNIK bool) (*staffFileJSON, error) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	rows, err := m.stages(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	if ok, err := m.staffCanSee(ctx, p, rows); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNotFound()
	}
	base, err := m.appView(r, a)
	if err != nil {
		return nil, err
	}
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		return nil, err
	}
	ups, err := m.uploads(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	v := &staffFileJSON{appJSON: base, ApplicantName: a.ApplicantName, Stages: m.stagesJSON(svc, rows, true), Uploads: []Upload{}}
	for _, u := range ups {
		v.Uploads = append(v.Uploads, u)
	}
	if withNIK {
		nik, err := m.d.Sealer.Open(a.NIKSealed)
		if err != nil {
			return nil, err
		}
		if err := m.d.Audit.RecordRead(ctx, auth.ActorOf(p, web.ClientIP(r)), "service_application", audit.ObjectID(a.ID), "nik"); err != nil {
			return nil, err
		}
		v.NIKFull = nik
	}
	return v, nil
}

// serveUpload streams an uploaded document inline to an officer of the
// file.
func (m *Module) serveUpload(w http.ResponseWriter, r *http.Request, number string, uploadID int64) {
	ctx := r.Context()
	a, err := m.appByNumber(ctx, m.d.DB, number)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	rows, err := m.stages(ctx, m.d.DB, a.ID)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	if ok, err := m.staffCanSee(ctx, web.PrincipalOf(r), rows); err != nil || !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	var key, ct string
	err = m.d.DB.QueryRowContext(ctx, `SELECT file_key, content_type FROM svc_uploads WHERE id = $1 AND application_id = $2`, uploadID, a.ID).Scan(&key, &ct)
	if errors.Is(err, sql.ErrNoRows) {
		m.writeErr(w, r, errNotFound())
		return
	}
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	rc, err := m.d.Uploads.Open(ctx, key)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Uploaded PDFs are shown inline but must not run scripts in our origin.
	w.Header().Set("Content-Security-Policy", "sandbox")
	_, _ = io.Copy(w, rc)
}

// Assign gives an active stage to a named officer of its unit.
func (m *Module) Assign(ctx context.Context, p *auth.Principal, ip, number, stageCode, username string) error {
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := m.appByNumber(ctx, tx, number)
		if err != nil {
			return err
		}
		s, err := scanStage(tx.QueryRowContext(ctx, `SELECT `+stageColumns+` FROM svc_stages WHERE application_id = $1 AND code = $2`, a.ID, stageCode))
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return err
		}
		if !p.Can("services.supervise", s.UnitCode, tree) {
			return errForbidden()
		}
		if s.Status != StageActive {
			return errConflict("not_active", "services.err_stage_not_active")
		}
		var uid int64
		var unit sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT id, unit_code FROM users WHERE username = $1 AND kind = 'staff' AND disabled = FALSE`, username).Scan(&uid, &unit)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && unit.String != s.UnitCode) {
			return errInvalid("services.err_check_fields", map[string]string{"username": "services.err_assignee"})
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE svc_stages SET assignee_id = $1, version = version + 1 WHERE id = $2`, uid, s.ID); err != nil {
			return err
		}
		if err := m.addEvent(ctx, tx, a.ID, Event{Kind: "assigned", StageCode: s.Code, UnitCode: s.UnitCode, Actor: p.Username, Note: username,
			Revision: a.Revision}); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_stage.assigned", ObjectType: "service_application",
			ObjectID: audit.ObjectID(a.ID), After: map[string]any{"stage": s.Code, "assignee": username}})
	})
}

// authorizeBill checks that the officer handles the unit of the payment
// stage the bill waits on.
func (m *Module) authorizeBill(r *http.Request, billNumber string) error {
	ctx := r.Context()
	var appID int64
	err := m.d.DB.QueryRowContext(ctx, `SELECT application_id FROM svc_bills WHERE number = $1`, billNumber).Scan(&appID)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound()
	}
	if err != nil {
		return err
	}
	a, err := m.appByID(ctx, m.d.DB, appID)
	if err != nil {
		return err
	}
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		return err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	for _, st := range svc.Stages {
		if st.Payment && web.Authorize(r, "services.handle", resolveUnit(st.Unit, a.KelurahanCode), tree) {
			return nil
		}
	}
	return errForbidden()
}

// myApplications lists the applicant's files, newest first.
func (m *Module) myApplications(ctx context.Context, p *auth.Principal) ([]map[string]any, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT id, COALESCE(number, ''), service_code, status, created_at FROM svc_applications
		WHERE applicant_id = $1 ORDER BY id DESC LIMIT 200`, p.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []map[string]any{}
	for rows.Next() {
		var id int64
		var number, svc, status string
		var created time.Time
		if err := rows.Scan(&id, &number, &svc, &status, database.T(&created)); err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"id": id, "number": number, "service": svc, "status": status, "created_at": created})
	}
	return out, rows.Err()
}

func (m *Module) saveServiceAudited(r *http.Request, s Service, active bool) error {
	ctx := r.Context()
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := m.saveService(ctx, tx, s, active); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), Action: "service.saved",
			ObjectType: "service", ObjectID: s.Code, After: s})
	})
}
