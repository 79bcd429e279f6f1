package health

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/tabular"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// followUpRow is a child on the follow-up list.
type followUpRow struct {
	PatientID                    int64
	Name, MRN, NIKMasked, Mother string
	Kelurahan, KelurahanCode     string
	MeasuredOn                   string
	AgeMonths                    int
	HAZ, WHZ                     *float64
	Stunting, Wasting            string
	TwoT                         bool
	OpenTasks                    int
}

// followUpFilter selects the list: a puskesmas ("" = the whole city) and
// optionally one kelurahan.
type followUpFilter struct {
	PKM, Kelurahan string
	Limit, Offset  int
}

// followUp reads the children whose latest measurement shows stunting,
// wasting or 2T, newest first, from health_growth_latest (one row per
// child, indexed on follow_up): the list never scans measurements.
func (m *Module) followUp(ctx context.Context, f followUpFilter) ([]followUpRow, error) {
	var wh where
	wh.raw("follow_up = TRUE")
	if f.PKM != "" {
		wh.add("puskesmas_code = ?", f.PKM)
	}
	if f.Kelurahan != "" {
		wh.add("kelurahan_code = ?", f.Kelurahan)
	}
	// The page is chosen first from the index alone; only its rows are
	// joined with the patients and their open home visits.
	q := `SELECT l.patient_id, p.name, p.mrn, p.nik_masked, p.mother_name, l.kelurahan_code, l.measured_on,
		l.age_days, l.haz, l.whz, l.stunting, l.wasting, l.two_t,
		(SELECT COUNT(*) FROM health_home_visits h WHERE h.patient_id = l.patient_id AND h.status = 'open')
		FROM (SELECT * FROM health_growth_latest` + wh.String() + ` ORDER BY measured_on DESC, patient_id DESC LIMIT ` + wh.arg(f.Limit) +
		` OFFSET ` + wh.arg(f.Offset) + `) l JOIN health_patients p ON p.id = l.patient_id ORDER BY l.measured_on DESC, l.patient_id DESC`
	rows, err := m.d.DB.QueryContext(ctx, q, wh.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []followUpRow
	for rows.Next() {
		var x followUpRow
		var age int
		var haz, whz sql.NullFloat64
		if err := rows.Scan(&x.PatientID, &x.Name, &x.MRN, &x.NIKMasked, &x.Mother, &x.KelurahanCode, &x.MeasuredOn, &age, &haz, &whz,
			&x.Stunting, &x.Wasting, &x.TwoT, &x.OpenTasks); err != nil {
			return nil, err
		}
		x.AgeMonths, x.HAZ, x.WHZ = age*12/365, nullFloat(haz), nullFloat(whz)
		x.Kelurahan = m.kelurahanName(x.KelurahanCode)
		out = append(out, x)
	}
	return out, rows.Err()
}

// followUpCount is a kelurahan's number of children on the list.
type followUpCount struct {
	Code, Name                string
	Children, Stunted, Wasted int
	TwoT                      int
}

func (m *Module) followUpCounts(ctx context.Context, pkm string) ([]followUpCount, error) {
	var wh where
	if pkm != "" {
		wh.add("puskesmas_code = ?", pkm)
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT kelurahan_code, SUM(children), SUM(stunted), SUM(wasted), SUM(two_t)
		FROM health_followup_counts`+wh.String()+` GROUP BY kelurahan_code HAVING SUM(children) > 0 ORDER BY kelurahan_code`, wh.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []followUpCount
	for rows.Next() {
		var c followUpCount
		if err := rows.Scan(&c.Code, &c.Children, &c.Stunted, &c.Wasted, &c.TwoT); err != nil {
			return nil, err
		}
		c.Name = m.kelurahanName(c.Code)
		out = append(out, c)
	}
	return out, rows.Err()
}

const followUpPageSize = 50

// followUpFilterOf reads ?pkm= (a puskesmas in scope, or "all" for a
// city-wide scope), ?kel= and ?page=.
func followUpFilterOf(r *http.Request, s pkmScope) (followUpFilter, bool) {
	f := followUpFilter{PKM: s.Current.Code, Kelurahan: r.URL.Query().Get("kel"), Limit: followUpPageSize}
	switch want := r.URL.Query().Get("pkm"); {
	case want == "all" && s.CityWide:
		f.PKM = ""
	case want != "" && !s.Has(want):
		return f, false
	}
	if p, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && p > 1 && p < 100000 {
		f.Offset = (p - 1) * followUpPageSize
	}
	return f, true
}

// followUpPage lists the children to follow up, by kelurahan, with a way
// to send Brigade Kupang Sehat on a home visit.
func (m *Module) followUpPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	f, ok := followUpFilterOf(r, s)
	if !ok {
		m.forbidden(w, r)
		return
	}
	list, err := m.followUp(r.Context(), f)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	counts, err := m.followUpCounts(r.Context(), f.PKM)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	pkmParam := f.PKM
	if pkmParam == "" {
		pkmParam = "all"
	}
	page := f.Offset/followUpPageSize + 1
	m.page(w, r, http.StatusOK, "followup.html", "health.followup.title", map[string]any{"Scope": s, "Filter": f, "PKMParam": pkmParam,
		"List": list, "Counts": counts, "Page": page, "PrevPage": page - 1, "NextPage": page + 1, "HasNext": len(list) == followUpPageSize, "Flash": flash(r),
		"Export": web.PrincipalOf(r).Has(permExport)})
}

// followUpCSV exports the whole follow-up list with names: personal data,
// so it needs health.export (supervisors) on the puskesmas, and the export
// is audit-logged.
func (m *Module) followUpCSV(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permExport)
	if !ok {
		return
	}
	f, ok := followUpFilterOf(r, s)
	if !ok {
		m.forbidden(w, r)
		return
	}
	f.Limit, f.Offset = 100000, 0
	list, err := m.followUp(r.Context(), f)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	scope := f.PKM
	if scope == "" {
		scope = "kota"
	}
	if err := m.d.Audit.RecordRead(r.Context(), auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), "health_followup", scope,
		fmt.Sprintf("export %d children", len(list))); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	t := tabular.Table{Header: []string{"no_rm", "nik", "nama", "ibu", "kelurahan", "tanggal_ukur", "umur_bulan", "haz", "whz",
		"status_tb_u", "status_bb_tb", "2t"}}
	for _, x := range list {
		t.Rows = append(t.Rows, []any{x.MRN, x.NIKMasked, x.Name, x.Mother, x.Kelurahan, x.MeasuredOn, x.AgeMonths, zCell(x.HAZ),
			zCell(x.WHZ), x.Stunting, x.Wasting, x.TwoT})
	}
	_ = tabular.Serve(w, t, tabular.CSV, "tindak-lanjut-gizi-"+scope)
}

// zCell is a z-score to 2 decimals for a download, or empty.
func zCell(z *float64) any {
	if z == nil {
		return nil
	}
	return math.Round(*z*100) / 100
}

// homeVisitCreate gives Brigade Kupang Sehat a home visit to a child on
// the follow-up list (one open task per child).
func (m *Module) homeVisitCreate(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	p, ok := m.openablePatient(w, r, s, r.PostFormValue("patient_id"))
	if !ok {
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > 1000 {
		note = string([]rune(note)[:1000])
	}
	var reason, kel string
	var stunting, wasting string
	var twoT bool
	err := m.d.DB.QueryRowContext(r.Context(), `SELECT stunting, wasting, two_t, kelurahan_code FROM health_growth_latest WHERE patient_id = $1`, p.ID).
		Scan(&stunting, &wasting, &twoT, &kel)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	var parts []string
	for _, c := range []string{stunting, wasting} {
		if c != "" && c != "normal_height" && c != "well_nourished" && c != "implausible" {
			parts = append(parts, c)
		}
	}
	if twoT {
		parts = append(parts, "2T")
	}
	reason = strings.Join(parts, ",")
	if kel == "" {
		kel = p.Kelurahan
	}
	actor := auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r))
	err = m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(r.Context(), `SELECT COUNT(*) FROM health_home_visits WHERE patient_id = $1 AND status = 'open'`, p.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return nil
		}
		var taskID int64
		if err := tx.QueryRowContext(r.Context(), `INSERT INTO health_home_visits (patient_id, puskesmas_code, kelurahan_code, unit_code, reason, note,
			status, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id`, p.ID, p.PKM, kel, brigadeUnit, reason, note,
			database.TimeArg(m.d.Clock.Now()), web.PrincipalOf(r).Username).Scan(&taskID); err != nil {
			return err
		}
		return m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: actor, Action: "health_home_visit.created", ObjectType: "health_home_visit",
			ObjectID: audit.ObjectID(taskID), After: map[string]any{"patient_id": p.ID, "unit": brigadeUnit, "reason": reason}})
	})
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	back := "/kesehatan/gizi/tindak-lanjut?pkm=" + url.QueryEscape(r.PostFormValue("pkm")) + "&flash=task"
	if r.PostFormValue("back") == "child" {
		back = fmt.Sprintf("/kesehatan/anak/%d?flash=task", p.ID)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// homeVisit is a task of the brigade with what the visit needs: who, and
// where to find them.
type homeVisit struct {
	ID                                        int64
	PatientID                                 int64
	Name, Mother, Address, Kelurahan, PKMName string
	Reason, Note, Status, CreatedBy           string
	CreatedAt, DoneAt                         time.Time
}

// homeVisitsPage lists the home visits the principal may see: those
// given to their unit (the brigade) and those their puskesmas created.
func (m *Module) homeVisitsPage(w http.ResponseWriter, r *http.Request) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status != "done" {
		status = "open"
	}
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT h.id, h.patient_id, p.name, p.mother_name, p.address, h.kelurahan_code, h.puskesmas_code,
		h.unit_code, h.reason, h.note, h.status, h.created_by, h.created_at, h.done_at
		FROM health_home_visits h JOIN health_patients p ON p.id = h.patient_id WHERE h.status = $1 ORDER BY h.created_at DESC LIMIT 500`, status)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	defer rows.Close()
	var list []homeVisit
	for rows.Next() {
		var h homeVisit
		var unit string
		if err := rows.Scan(&h.ID, &h.PatientID, &h.Name, &h.Mother, &h.Address, &h.Kelurahan, &h.PKMName, &unit, &h.Reason, &h.Note, &h.Status,
			&h.CreatedBy, database.T(&h.CreatedAt), database.T(&h.DoneAt)); err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		if !web.Authorize(r, permRecords, unit, tree) && !web.Authorize(r, permRecords, h.PKMName, tree) {
			continue
		}
		h.Kelurahan, h.PKMName = m.kelurahanName(h.Kelurahan), unitName(tree, h.PKMName)
		list = append(list, h)
	}
	if err := rows.Err(); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "home_visits.html", "health.homevisits.title", map[string]any{"List": list, "Status": status, "Flash": flash(r)})
}

// homeVisitDone closes a home visit with the brigade's note.
func (m *Module) homeVisitDone(w http.ResponseWriter, r *http.Request) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.notFound(w, r)
		return
	}
	var unit, pkm, status string
	err = m.d.DB.QueryRowContext(r.Context(), `SELECT unit_code, puskesmas_code, status FROM health_home_visits WHERE id = $1`, id).Scan(&unit, &pkm, &status)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !web.Authorize(r, permRecords, unit, tree) && !web.Authorize(r, permRecords, pkm, tree) {
		m.notFound(w, r)
		return
	} else if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > 1000 {
		note = string([]rune(note)[:1000])
	}
	actor := auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r))
	err = m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(r.Context(), `UPDATE health_home_visits SET status = 'done', done_at = $2,
			note = CASE WHEN $3 = '' THEN note ELSE $3 END WHERE id = $1 AND status = 'open'`, id, database.TimeArg(m.d.Clock.Now()), note)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: actor, Action: "health_home_visit.done", ObjectType: "health_home_visit",
			ObjectID: audit.ObjectID(id)})
	})
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/kesehatan/kunjungan-rumah?flash=done", http.StatusSeeOther)
}
