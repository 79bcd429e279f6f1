package health

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// skdrJob checks the SKDR counts against the thresholds and raises
// alerts. It runs hourly: a visit entered late still raises its alert
// within the hour, and the check of the week before catches diagnoses
// entered after the week ended.
const skdrJob = "health.skdr"

// RegisterJobs implements app.JobRegistrar.
func (m *Module) RegisterJobs(q *jobs.Queue, d *app.Deps) {
	q.Register(skdrJob, func(ctx context.Context, _ *jobs.Job) error {
		n, err := m.checkSKDR(ctx)
		if err == nil && n > 0 {
			d.Log.Info("health: SKDR alerts raised", "alerts", n)
		}
		return err
	})
	q.Schedule(skdrJob, time.Hour)
}

// skdrCount is one cell of the weekly SKDR table.
type skdrCount struct {
	PKM, Disease string
	Cases        int
}

func (m *Module) skdrCounts(ctx context.Context, week time.Time) ([]skdrCount, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT puskesmas_code, skdr_code, COUNT(*) FROM health_diagnoses
		WHERE week_start = $1 AND skdr_code <> '' AND case_type = 'new' GROUP BY puskesmas_code, skdr_code`, week.Format(database.DateLayout))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []skdrCount
	for rows.Next() {
		var c skdrCount
		if err := rows.Scan(&c.PKM, &c.Disease, &c.Cases); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (m *Module) thresholds(ctx context.Context) (map[string]int, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT skdr_code, threshold FROM health_skdr_thresholds`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

func (m *Module) setting(ctx context.Context, key string) (string, error) {
	var v string
	err := m.d.DB.QueryRowContext(ctx, `SELECT value FROM health_settings WHERE key = $1`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// checkSKDR raises an alert for every puskesmas and disease whose new
// cases this epi-week or the last reached the threshold, once per week,
// and notifies Dinas Kesehatan in the same transaction.
func (m *Module) checkSKDR(ctx context.Context) (int, error) {
	this := epiWeekStart(m.today())
	return m.raiseAlerts(ctx, []time.Time{this.AddDate(0, 0, -7), this}, true)
}

// raiseAlerts checks the given epi-weeks; notify false records alerts
// without sending (the demo's history).
func (m *Module) raiseAlerts(ctx context.Context, weeks []time.Time, send bool) (int, error) {
	limits, err := m.thresholds(ctx)
	if err != nil {
		return 0, err
	}
	to, err := m.setting(ctx, settingAlertEmail)
	if err != nil {
		return 0, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return 0, err
	}
	raised := 0
	for _, week := range weeks {
		counts, err := m.skdrCounts(ctx, week)
		if err != nil {
			return raised, err
		}
		for _, c := range counts {
			limit, ok := limits[c.Disease]
			if !ok || c.Cases < limit {
				continue
			}
			err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
				res, err := tx.ExecContext(ctx, `INSERT INTO health_skdr_alerts (puskesmas_code, skdr_code, week_start, cases, threshold, created_at)
					VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (puskesmas_code, skdr_code, week_start) DO NOTHING`,
					c.PKM, c.Disease, week.Format(database.DateLayout), c.Cases, limit, database.TimeArg(m.d.Clock.Now()))
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return nil
				}
				raised++
				if !send || to == "" {
					return nil
				}
				disease := m.d.Shell.Catalog().T("id", "health.skdr.d."+c.Disease)
				_, err = m.d.Notifier.NotifyTx(ctx, tx, notify.Message{Channel: notify.ChannelEmail, To: to, Locale: "id", Tag: "skdr_alert",
					Subject: fmt.Sprintf("Peringatan SKDR: %s di %s", disease, unitName(tree, c.PKM)),
					Body: fmt.Sprintf("Peringatan dini SKDR\n\nPenyakit: %s\nPuskesmas: %s\nMinggu epidemiologi mulai: %s\nKasus baru: %d (ambang %d)\n\nLihat daftar peringatan di /kesehatan/skdr.",
						disease, unitName(tree, c.PKM), week.Format("02/01/2006"), c.Cases, limit)})
				return err
			})
			if err != nil {
				return raised, err
			}
		}
	}
	return raised, nil
}

// skdrAlert is a raised alert.
type skdrAlert struct {
	PKM, Disease, Week string
	Cases, Threshold   int
	CreatedAt          time.Time
}

// skdrPage shows the weekly counts per puskesmas and disease, with the
// cells at or over the threshold marked, and the alerts raised.
func (m *Module) skdrPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permReports)
	if !ok {
		return
	}
	ctx := r.Context()
	week := epiWeekStart(m.today())
	if q := r.URL.Query().Get("week"); q != "" {
		d, err := time.Parse(database.DateLayout, q)
		if err != nil {
			m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "week"))
			return
		}
		week = epiWeekStart(d)
	}
	counts, err := m.skdrCounts(ctx, week)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	limits, err := m.thresholds(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	cell := map[string]int{}
	for _, c := range counts {
		if s.Has(c.PKM) {
			cell[c.Disease+"/"+c.PKM] = c.Cases
		}
	}
	type row struct {
		Disease   string
		Threshold int
		Cells     []int
		Alert     []bool
		Total     int
	}
	var table []row
	for _, d := range skdrDiseases {
		rw := row{Disease: d.Code, Threshold: limits[d.Code]}
		for _, u := range s.All {
			n := cell[d.Code+"/"+u.Code]
			rw.Cells = append(rw.Cells, n)
			rw.Alert = append(rw.Alert, rw.Threshold > 0 && n >= rw.Threshold)
			rw.Total += n
		}
		table = append(table, rw)
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT puskesmas_code, skdr_code, week_start, cases, threshold, created_at FROM health_skdr_alerts
		ORDER BY week_start DESC, created_at DESC LIMIT 200`)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	defer rows.Close()
	var alerts []skdrAlert
	for rows.Next() {
		var a skdrAlert
		if err := rows.Scan(&a.PKM, &a.Disease, &a.Week, &a.Cases, &a.Threshold, database.T(&a.CreatedAt)); err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		if s.Has(a.PKM) {
			a.PKM = unitName(s.Tree, a.PKM)
			alerts = append(alerts, a)
		}
	}
	m.page(w, r, http.StatusOK, "skdr.html", "health.skdr.title", map[string]any{"Scope": s, "Week": week.Format(database.DateLayout),
		"WeekEnd": week.AddDate(0, 0, 6).Format(database.DateLayout), "Prev": week.AddDate(0, 0, -7).Format(database.DateLayout),
		"Next": week.AddDate(0, 0, 7).Format(database.DateLayout), "Table": table, "Alerts": alerts})
}

// mayManage: the SKDR settings are city-wide; only holders of
// health.manage over Dinas Kesehatan change them.
func (m *Module) mayManage(w http.ResponseWriter, r *http.Request) bool {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return false
	}
	if !web.Authorize(r, permManage, dinkesUnit, tree) {
		m.forbidden(w, r)
		return false
	}
	return true
}

func (m *Module) thresholdsPage(w http.ResponseWriter, r *http.Request) {
	if !m.mayManage(w, r) {
		return
	}
	m.renderThresholds(w, r, http.StatusOK, nil, nil)
}

func (m *Module) renderThresholds(w http.ResponseWriter, r *http.Request, status int, typed map[string]string, errs fieldErrors) {
	limits, err := m.thresholds(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	email, err := m.setting(r.Context(), settingAlertEmail)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	type row struct {
		Code, Value string
	}
	var rows []row
	for _, d := range skdrDiseases {
		v := strconv.Itoa(limits[d.Code])
		if t, ok := typed[d.Code]; ok {
			v = t
		}
		rows = append(rows, row{d.Code, v})
	}
	if t, ok := typed["email"]; ok {
		email = t
	}
	m.page(w, r, status, "thresholds.html", "health.thresholds.title", map[string]any{"Rows": rows, "Email": email, "Errors": errs,
		"Flash": flash(r)})
}

func (m *Module) thresholdsSave(w http.ResponseWriter, r *http.Request) {
	if !m.mayManage(w, r) {
		return
	}
	typed := map[string]string{}
	errs := fieldErrors{}
	values := map[string]int{}
	for _, d := range skdrDiseases {
		v := strings.TrimSpace(r.PostFormValue("t_" + d.Code))
		typed[d.Code] = v
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			errs["t_"+d.Code] = "health.err.threshold"
			continue
		}
		values[d.Code] = n
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	typed["email"] = email
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		errs["email"] = "health.err.email"
	}
	if len(errs) > 0 {
		m.renderThresholds(w, r, http.StatusUnprocessableEntity, typed, errs)
		return
	}
	now := database.TimeArg(m.d.Clock.Now())
	err := m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		for code, n := range values {
			if _, err := tx.ExecContext(r.Context(), `UPDATE health_skdr_thresholds SET threshold = $2, updated_at = $3 WHERE skdr_code = $1`,
				code, n, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(r.Context(), `UPDATE health_settings SET value = $2 WHERE key = $1`, settingAlertEmail, email); err != nil {
			return err
		}
		return m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)),
			Action: "health_skdr.settings_changed", ObjectType: "health_skdr", After: map[string]any{"thresholds": values, "alert_email": email}})
	})
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/kesehatan/skdr/ambang?flash=thresholds", http.StatusSeeOther)
}
