package health

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// patientRow is a patient in a list: masked identifiers only.
type patientRow struct {
	ID        int64
	MRN       string
	NIKMasked string
	Name      string
	Sex       string
	BirthDate string
	Kelurahan string
}

func (m *Module) kelurahanName(code string) string {
	if r, ok := m.d.Regions.Lookup(code); ok {
		return r.Name
	}
	return code
}

// patientsPage lists a puskesmas' patients, searched by name or
// medical-record number (never by NIK in the URL: see patientSearchNIK).
func (m *Module) patientsPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT id, mrn, nik_masked, name, sex, birth_date, kelurahan_code FROM health_patients
		WHERE puskesmas_code = $1 AND ($2 = '' OR mrn = $2 OR LOWER(name) LIKE $3) ORDER BY updated_at DESC, id DESC LIMIT 50`,
		s.Current.Code, q, "%"+strings.ToLower(q)+"%")
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	defer rows.Close()
	var list []patientRow
	for rows.Next() {
		var p patientRow
		if err := rows.Scan(&p.ID, &p.MRN, &p.NIKMasked, &p.Name, &p.Sex, &p.BirthDate, &p.Kelurahan); err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		p.Kelurahan = m.kelurahanName(p.Kelurahan)
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "patients.html", "health.patients.title", map[string]any{"Scope": s, "Q": q, "Patients": list,
		"Flash": flash(r), "Error": r.URL.Query().Get("err")})
}

// patientSearchNIK looks a patient up by NIK (POSTed, so the NIK stays
// out of URLs and logs) and goes to the record.
func (m *Module) patientSearchNIK(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	nik, err := m.validNIK(r.PostFormValue("nik"), "nik")
	back := "/kesehatan/pasien?pkm=" + url.QueryEscape(s.Current.Code)
	if err != nil {
		http.Redirect(w, r, back+"&err=nik", http.StatusSeeOther)
		return
	}
	id, err := m.patientByNIK(r.Context(), nik.Digits())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if id == 0 {
		http.Redirect(w, r, back+"&err=notfound", http.StatusSeeOther)
		return
	}
	m.foundElsewhereOrRedirect(w, r, s, id, "")
}

// foundElsewhereOrRedirect opens the record when the principal may, and
// otherwise shows that the person is registered at another puskesmas,
// with the masked details and a way to take a queue number here: whoever
// typed the NIK has the person's KTP in hand.
func (m *Module) foundElsewhereOrRedirect(w http.ResponseWriter, r *http.Request, s pkmScope, id int64, flashKey string) {
	p, err := m.getPatient(r.Context(), id)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if ok, err := m.mayOpen(r, p, s.Tree); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	} else if ok {
		to := "/kesehatan/pasien/" + strconv.FormatInt(id, 10)
		if flashKey != "" {
			to += "?flash=" + flashKey
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	polis, err := m.polis(r.Context(), s.Current.Code)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "patient_elsewhere.html", "health.patients.elsewhere_title", map[string]any{"Scope": s,
		"Patient": patientRow{ID: p.ID, MRN: p.MRN, NIKMasked: p.NIKMasked, Name: p.Name}, "RegisteredAt": unitName(s.Tree, p.PKM),
		"Polis": polis})
}

// mayOpen: staff of the puskesmas the patient belongs to, or of any that
// has treated them, and Dinas Kesehatan.
func (m *Module) mayOpen(r *http.Request, p patient, tree *units.Tree) (bool, error) {
	if web.Authorize(r, permRecords, p.PKM, tree) {
		return true, nil
	}
	pkms, err := m.patientPKMs(r.Context(), p)
	if err != nil {
		return false, err
	}
	for _, c := range pkms {
		if web.Authorize(r, permRecords, c, tree) {
			return true, nil
		}
	}
	return false, nil
}

// loadPatient reads the {id} path value and the patient, answering 404
// for an unknown id or one the principal may not open (existence is not
// revealed).
func (m *Module) loadPatient(w http.ResponseWriter, r *http.Request) (patient, pkmScope, bool) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return patient{}, s, false
	}
	p, ok := m.openablePatient(w, r, s, r.PathValue("id"))
	return p, s, ok
}

// openablePatient is patientByID for a record the principal may open;
// any other answers 404, so that its existence is not revealed.
func (m *Module) openablePatient(w http.ResponseWriter, r *http.Request, s pkmScope, rawID string) (patient, bool) {
	p, ok := m.patientByID(w, r, rawID)
	if !ok {
		return p, false
	}
	if ok, err := m.mayOpen(r, p, s.Tree); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return p, false
	} else if !ok {
		m.notFound(w, r)
		return p, false
	}
	return p, true
}

// patientByID reads the patient a request names by id (a path value or a
// form field), answering 404 for a malformed or unknown id.
func (m *Module) patientByID(w http.ResponseWriter, r *http.Request, rawID string) (patient, bool) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		m.notFound(w, r)
		return patient{}, false
	}
	p, err := m.getPatient(r.Context(), id)
	if err != nil {
		if errors.Is(err, errNoRows) {
			m.notFound(w, r)
		} else {
			m.d.Shell.ServerError(w, r, err)
		}
		return p, false
	}
	return p, true
}

// auditRead records that the principal saw a full health record.
func (m *Module) auditRead(r *http.Request, objectType string, id int64, what string) error {
	return m.d.Audit.RecordRead(r.Context(), auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), objectType, audit.ObjectID(id), what)
}

type visitRow struct {
	ID        int64
	Date      string
	PKM       string
	Poli      string
	Status    string
	Diagnoses string
}

// patientPage is the full record: demographics, visits, children, and
// the queue form. The read is audit-logged.
func (m *Module) patientPage(w http.ResponseWriter, r *http.Request) {
	p, s, ok := m.loadPatient(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := m.auditRead(r, "health_patient", p.ID, "health_record"); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT v.id, v.visit_date, v.puskesmas_code, v.poli_code, v.status,
		COALESCE((SELECT MIN(d.icd10) FROM health_diagnoses d WHERE d.visit_id = v.id AND d.is_primary), '')
		FROM health_visits v WHERE v.patient_id = $1 ORDER BY v.arrived_at DESC LIMIT 30`, p.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	var visits []visitRow
	for rows.Next() {
		var v visitRow
		if err := rows.Scan(&v.ID, &v.Date, &v.PKM, &v.Poli, &v.Status, &v.Diagnoses); err != nil {
			rows.Close()
			m.d.Shell.ServerError(w, r, err)
			return
		}
		v.PKM = unitName(s.Tree, v.PKM)
		visits = append(visits, v)
	}
	rows.Close()
	children, err := m.childrenOf(r, p.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	polis, err := m.polis(ctx, s.Current.Code)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	today := m.d.Clock.Now().In(m.d.Location)
	age := ageDaysOn(p.BirthDate, today)
	m.page(w, r, http.StatusOK, "patient.html", "health.patient.title", map[string]any{"Scope": s, "P": p,
		"Kelurahan": m.kelurahanName(p.Kelurahan), "RegisteredAt": unitName(s.Tree, p.PKM), "AgeYears": age * 4 / 1461,
		"AgeMonths": age * 12 / 365, "UnderFive": age <= 1826, "Visits": visits, "Children": children, "Polis": polis, "Flash": flash(r)})
}

func (m *Module) childrenOf(r *http.Request, motherID int64) ([]patientRow, error) {
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT id, mrn, nik_masked, name, sex, birth_date, kelurahan_code FROM health_patients
		WHERE mother_id = $1 ORDER BY birth_date`, motherID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []patientRow
	for rows.Next() {
		var c patientRow
		if err := rows.Scan(&c.ID, &c.MRN, &c.NIKMasked, &c.Name, &c.Sex, &c.BirthDate, &c.Kelurahan); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// patientForm is the registration form as typed, shown back on errors.
type patientForm struct {
	patientInput
	Errors map[string]string
}

func (m *Module) patientNewPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	m.renderPatientForm(w, r, http.StatusOK, s, patientForm{patientInput: patientInput{MotherName: "", Sex: ""}})
}

func (m *Module) renderPatientForm(w http.ResponseWriter, r *http.Request, status int, s pkmScope, f patientForm) {
	var kel []regions.Region
	for _, c := range s.Current.ServiceArea {
		if reg, ok := m.d.Regions.Lookup(c); ok {
			kel = append(kel, reg)
		}
	}
	// Patients from elsewhere in the city are common; their kelurahan
	// follow the puskesmas' own.
	for _, reg := range m.d.Regions.Kelurahan() {
		if !contains(s.Current.ServiceArea, reg.Code) {
			kel = append(kel, reg)
		}
	}
	// The NIK is never shown back: a refused form asks for it again.
	f.NIK, f.MotherNIK = "", ""
	m.page(w, r, status, "patient_new.html", "health.patient_new.title", map[string]any{"Scope": s, "Form": f, "Kelurahan": kel})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// patientCreate registers a patient at the current puskesmas. A NIK that
// is already registered leads to the existing record.
func (m *Module) patientCreate(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permRecords)
	if !ok {
		return
	}
	in := patientInput{PKM: s.Current.Code, NIK: r.PostFormValue("nik"), BPJS: r.PostFormValue("bpjs"), Name: r.PostFormValue("name"),
		Sex: r.PostFormValue("sex"), BirthDate: r.PostFormValue("birth_date"), Kelurahan: r.PostFormValue("kelurahan"),
		Address: r.PostFormValue("address"), MotherNIK: r.PostFormValue("mother_nik"), MotherName: r.PostFormValue("mother_name")}
	id, err := m.registerPatient(r.Context(), in)
	var dup *errDuplicateNIK
	var fe fieldErrors
	switch {
	case errors.As(err, &dup):
		m.foundElsewhereOrRedirect(w, r, s, dup.ID, "exists")
	case errors.As(err, &fe):
		m.renderPatientForm(w, r, http.StatusUnprocessableEntity, s, patientForm{patientInput: in, Errors: fe})
	case err != nil:
		m.d.Shell.ServerError(w, r, err)
	default:
		http.Redirect(w, r, "/kesehatan/pasien/"+strconv.FormatInt(id, 10)+"?flash=registered", http.StatusSeeOther)
	}
}

// page renders a module page with a translated title.
func (m *Module) page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data map[string]any) {
	sh := m.d.Shell
	data["Loc"] = m.d.Location
	sh.Render.Page(w, r, status, "health/"+name, sh.Render.View(r, sh.T(r, titleKey), data))
}

// flash is the message key named by ?flash= after a redirect; only known
// keys are shown, so a link cannot put arbitrary text on a page.
func flash(r *http.Request) string {
	switch f := r.URL.Query().Get("flash"); f {
	case "registered", "exists", "queued", "called", "skipped", "recalled", "saved", "diagnosis", "prescribed", "finished",
		"received", "measured", "task", "done", "thresholds", "empty":
		return "health.flash." + f
	}
	return ""
}

// today returns the city's current calendar day.
func (m *Module) today() time.Time {
	t := m.d.Clock.Now().In(m.d.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func (m *Module) todayString() string { return m.today().Format(database.DateLayout) }
