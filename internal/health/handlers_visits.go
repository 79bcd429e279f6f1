package health

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/health/icd10"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// loadVisit reads the {id} visit; only staff of the visit's puskesmas and
// Dinas Kesehatan reach it (others get 404).
func (m *Module) loadVisit(w http.ResponseWriter, r *http.Request) (visit, pkmScope, bool) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return visit{}, s, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.notFound(w, r)
		return visit{}, s, false
	}
	v, err := m.getVisit(r.Context(), id)
	if errors.Is(err, errNoRows) || err == nil && !s.Has(v.PKM) {
		m.notFound(w, r)
		return v, s, false
	} else if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return v, s, false
	}
	return v, s, true
}

type diagnosisView struct {
	ICD, Name, CaseType string
	Primary             bool
}

type prescriptionView struct {
	Drug, Unit, Dosage string
	Qty                int
}

func (m *Module) visitDiagnoses(r *http.Request, visitID int64) ([]diagnosisView, error) {
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT icd10, case_type, is_primary FROM health_diagnoses WHERE visit_id = $1 ORDER BY id`, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lang := string(web.LocaleOf(r))
	var out []diagnosisView
	for rows.Next() {
		var d diagnosisView
		if err := rows.Scan(&d.ICD, &d.CaseType, &d.Primary); err != nil {
			return nil, err
		}
		if c, ok := icd10.Lookup(d.ICD); ok {
			d.Name = c.Name(lang)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (m *Module) visitPrescriptions(r *http.Request, visitID int64) ([]prescriptionView, error) {
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT d.name, d.unit, s.dosage, -s.qty FROM health_stock_moves s JOIN health_drugs d ON d.code = s.drug_code
		WHERE s.visit_id = $1 ORDER BY s.id`, visitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []prescriptionView
	for rows.Next() {
		var p prescriptionView
		if err := rows.Scan(&p.Drug, &p.Unit, &p.Dosage, &p.Qty); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// visitPage is the examination form: vital signs, anamnesis, actions,
// diagnoses (with an ICD-10 search in Indonesian or English), the
// prescription against the puskesmas' stock, and closing the visit.
func (m *Module) visitPage(w http.ResponseWriter, r *http.Request) {
	v, s, ok := m.loadVisit(w, r)
	if !ok {
		return
	}
	m.renderVisit(w, r, http.StatusOK, v, s, nil)
}

func (m *Module) renderVisit(w http.ResponseWriter, r *http.Request, status int, v visit, s pkmScope, errs fieldErrors) {
	ctx := r.Context()
	p, err := m.getPatient(ctx, v.PatientID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if err := m.auditRead(r, "health_visit", v.ID, "health_record"); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	diags, err := m.visitDiagnoses(r, v.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	rx, err := m.visitPrescriptions(r, v.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	stock, err := m.stockLevels(r, v.PKM)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("cari"))
	var matches []icd10.Code
	if q != "" {
		matches = icd10.Search(q, 20)
	}
	m.page(w, r, status, "visit.html", "health.visit.title", map[string]any{"Scope": s, "V": v, "P": p, "Diagnoses": diags,
		"Prescriptions": rx, "Stock": stock, "Q": q, "Matches": matches, "Lang": string(web.LocaleOf(r)), "Errors": errs,
		"Flash": flash(r), "Closed": v.Status == visitFinished, "PKMName": unitName(s.Tree, v.PKM)})
}

// vitalRange bounds a vital sign to values a living patient can have; a
// value outside is a typo (or a unit mix-up) and is refused.
type vitalRange struct {
	field    string
	min, max float64
}

var vitalRanges = []vitalRange{
	{"systolic", 50, 300}, {"diastolic", 20, 200}, {"pulse", 20, 260}, {"resp_rate", 4, 100},
	{"temp_c", 30, 45}, {"weight_kg", 0.3, 350}, {"height_cm", 20, 250},
}

func (m *Module) visitSave(w http.ResponseWriter, r *http.Request) {
	v, s, ok := m.loadVisit(w, r)
	if !ok {
		return
	}
	if v.Status == visitFinished {
		m.renderVisit(w, r, http.StatusConflict, v, s, fieldErrors{"anamnesis": "health.err.visit_closed"})
		return
	}
	errs := fieldErrors{}
	vals := map[string]any{}
	for _, vr := range vitalRanges {
		f, err := optFloat(strings.TrimSpace(r.PostFormValue(vr.field)), vr.field)
		switch {
		case err != nil:
			errs[vr.field] = "health.err.number"
		case f == nil:
			vals[vr.field] = nil
		case *f < vr.min || *f > vr.max:
			errs[vr.field] = "health.err.vital_range"
		default:
			vals[vr.field] = *f
		}
	}
	anamnesis, actions := strings.TrimSpace(r.PostFormValue("anamnesis")), strings.TrimSpace(r.PostFormValue("actions"))
	if utf8.RuneCountInString(anamnesis) > 4000 || utf8.RuneCountInString(actions) > 4000 {
		errs["anamnesis"] = "health.err.too_long"
	}
	if len(errs) > 0 {
		m.renderVisit(w, r, http.StatusUnprocessableEntity, v, s, errs)
		return
	}
	asInt := func(x any) any {
		if f, ok := x.(float64); ok {
			return int64(f + 0.5)
		}
		return nil
	}
	_, err := m.d.DB.ExecContext(r.Context(), `UPDATE health_visits SET systolic = $2, diastolic = $3, pulse = $4, resp_rate = $5, temp_c = $6,
		weight_kg = $7, height_cm = $8, anamnesis = $9, actions = $10, updated_at = $11 WHERE id = $1`, v.ID,
		asInt(vals["systolic"]), asInt(vals["diastolic"]), asInt(vals["pulse"]), asInt(vals["resp_rate"]), vals["temp_c"], vals["weight_kg"],
		vals["height_cm"], anamnesis, actions, database.TimeArg(m.d.Clock.Now()))
	m.answerVisitAction(w, r, v, s, err, "saved")
}

func (m *Module) visitAddDiagnosis(w http.ResponseWriter, r *http.Request) {
	v, s, ok := m.loadVisit(w, r)
	if !ok {
		return
	}
	err := m.addDiagnosis(r.Context(), v, diagnosisInput{Code: r.PostFormValue("icd10"), CaseType: r.PostFormValue("case_type")})
	m.answerVisitAction(w, r, v, s, err, "diagnosis")
}

func (m *Module) visitPrescribe(w http.ResponseWriter, r *http.Request) {
	v, s, ok := m.loadVisit(w, r)
	if !ok {
		return
	}
	qty, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("qty")))
	if err != nil {
		qty = 0
	}
	err = m.dispense(r.Context(), v, r.PostFormValue("drug"), qty, strings.TrimSpace(r.PostFormValue("dosage")))
	m.answerVisitAction(w, r, v, s, err, "prescribed")
}

func (m *Module) visitFinish(w http.ResponseWriter, r *http.Request) {
	v, s, ok := m.loadVisit(w, r)
	if !ok {
		return
	}
	err := m.finishVisit(r.Context(), v)
	m.answerVisitAction(w, r, v, s, err, "finished")
}

// answerVisitAction ends a visit form: a field error shows the visit
// again with it (422), another error is a server error, and success goes
// back to the visit with its flash message.
func (m *Module) answerVisitAction(w http.ResponseWriter, r *http.Request, v visit, s pkmScope, err error, flash string) {
	var fe fieldErrors
	switch {
	case errors.As(err, &fe):
		m.renderVisit(w, r, http.StatusUnprocessableEntity, v, s, fe)
	case err != nil:
		m.d.Shell.ServerError(w, r, err)
	default:
		http.Redirect(w, r, "/kesehatan/kunjungan/"+strconv.FormatInt(v.ID, 10)+"?flash="+flash, http.StatusSeeOther)
	}
}

type icdJSON struct {
	Code string `json:"code"`
	EN   string `json:"name_en"`
	ID   string `json:"name_id"`
}

// apiICD10 searches the ICD-10 list (for the diagnosis field's
// suggestions and for integrations).
func (m *Module) apiICD10(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" || utf8.RuneCountInString(q) > 100 {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "q"))
		return
	}
	limit := 20
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "limit"))
			return
		}
		limit = n
	}
	out := []icdJSON{}
	for _, c := range icd10.Search(q, limit) {
		out = append(out, icdJSON{c.Code, c.EN, c.ID})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}
