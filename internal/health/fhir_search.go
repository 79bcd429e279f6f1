package health

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/fhir"
	"github.com/sodamolek/sodamolek/internal/health/icd10"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// patientResource opens a patient's NIKs and maps the record.
func (m *Module) patientResource(p patient) (fhir.Patient, error) {
	nik, err := m.d.Sealer.Open(p.NIKSealed)
	if err != nil {
		return fhir.Patient{}, err
	}
	mother, err := m.d.Sealer.Open(p.MotherNIKSealed)
	if err != nil {
		return fhir.Patient{}, err
	}
	in := fhir.PatientIn{ID: p.ID, NIK: nik, MotherNIK: mother, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate, Address: p.Address,
		City: m.d.Regions.Name, Province: m.d.Regions.Province, LastUpdated: p.Updated}
	if kel, ok := m.d.Regions.Lookup(p.Kelurahan); ok {
		in.Kelurahan, in.Postcode = kel.Name, kel.Postcode
		if kec, ok := m.d.Regions.Lookup(kel.ParentCode); ok {
			in.Kecamatan = kec.Name
		}
	}
	return fhir.BuildPatient(in), nil
}

// searchPatients: identifier (https://fhir.kemkes.go.id/id/nik|NIK or
// …/nik-ibu|NIK, found through the blind index), _id, _lastUpdated.
func (m *Module) searchPatients(ctx context.Context, q url.Values, sp searchParams) ([]any, []string, bool, error) {
	var wh where
	if id := q.Get("_id"); id != "" {
		n, err := numericID(id)
		if err != nil {
			return nil, nil, false, nil
		}
		wh.add("id = ?", n)
	}
	if ident := q.Get("identifier"); ident != "" {
		system, value, found := strings.Cut(ident, "|")
		if !found {
			system, value = fhir.SystemNIK, ident
		}
		nik, err := m.validNIK(value, "nik")
		if err != nil {
			return nil, nil, false, nil // no patient can have it
		}
		switch system {
		case fhir.SystemNIK, "":
			wh.add("nik_index = ?", m.d.Sealer.BlindIndex(nik.Digits()))
		case fhir.SystemNIKIbu:
			wh.add("mother_nik_index = ?", m.d.Sealer.BlindIndex(nik.Digits()))
		default:
			return nil, nil, false, &badSearch{"identifier system must be " + fhir.SystemNIK + " or " + fhir.SystemNIKIbu}
		}
	}
	sp.apply(&wh, "updated_at")
	rows, err := m.d.DB.QueryContext(ctx, `SELECT `+patientColumns+` FROM health_patients`+wh.String()+sp.page(&wh, "id"), wh.args...)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	var res []any
	var ids []string
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			return nil, nil, false, err
		}
		pr, err := m.patientResource(p)
		if err != nil {
			return nil, nil, false, err
		}
		res, ids = append(res, pr), append(ids, pr.ID)
	}
	more := len(res) > sp.Count
	if more {
		res, ids = res[:sp.Count], ids[:sp.Count]
	}
	return res, ids, more, rows.Err()
}

// organizations: Dinas Kesehatan and the puskesmas.
func (m *Module) organizations(fc fhirContext, id, identifier string) ([]any, []string) {
	var res []any
	var ids []string
	if _, v, ok := strings.Cut(identifier, "|"); ok {
		identifier = v
	}
	for _, u := range fc.tree.All() {
		if u.Code != dinkesUnit && (u.Type != units.TypePuskesmas || !u.Active) {
			continue
		}
		if id != "" && u.Code != id || identifier != "" && u.Code != identifier {
			continue
		}
		in := fhir.OrgIn{Code: u.Code, OrgID: fc.orgID(u.Code), Name: u.Name, City: m.d.Regions.Name}
		if u.Type == units.TypePuskesmas {
			in.Provider, in.ParentID = true, dinkesUnit
		}
		res, ids = append(res, fhir.BuildOrganization(in)), append(ids, u.Code)
	}
	return res, ids
}

// locations: every poli of every puskesmas.
func (m *Module) locations(ctx context.Context, fc fhirContext, id, org string) ([]any, []string, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT puskesmas_code, code, name FROM health_polis ORDER BY puskesmas_code, sort_order`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var res []any
	var ids []string
	for rows.Next() {
		var pkm, code, name string
		if err := rows.Scan(&pkm, &code, &name); err != nil {
			return nil, nil, err
		}
		lid := fhir.LocationID(pkm, code)
		if id != "" && lid != id || org != "" && pkm != org {
			continue
		}
		res = append(res, fhir.BuildLocation(pkm, fc.orgID(pkm), code, name, unitName(fc.tree, pkm)))
		ids = append(ids, lid)
	}
	return res, ids, rows.Err()
}

// encounterRow is a visit with what its Encounter shows.
type encounterRow struct {
	visit
	PatientName string
}

// searchEncounters: _id, identifier (…|{id}), subject, _lastUpdated.
func (m *Module) searchEncounters(ctx context.Context, fc fhirContext, q url.Values, sp searchParams) ([]any, []string, bool, error) {
	var wh where
	if id := q.Get("_id"); id != "" {
		n, err := numericID(id)
		if err != nil {
			return nil, nil, false, err
		}
		wh.add("v.id = ?", n)
	}
	if ident := q.Get("identifier"); ident != "" {
		_, v, ok := strings.Cut(ident, "|")
		if !ok {
			v = ident
		}
		n, err := numericID(v)
		if err != nil {
			return nil, nil, false, nil
		}
		wh.add("v.id = ?", n)
	}
	if err := wh.addReferences(q, refParam{"subject", "Patient", "v.patient_id"}); err != nil {
		return nil, nil, false, err
	}
	sp.apply(&wh, "v.updated_at")
	visits, err := m.encounterRows(ctx, wh, sp.page(&wh, "v.id"))
	if err != nil {
		return nil, nil, false, err
	}
	more := len(visits) > sp.Count
	if more {
		visits = visits[:sp.Count]
	}
	res, ids, err := m.encounters(ctx, fc, visits)
	return res, ids, more, err
}

func (m *Module) encounterRows(ctx context.Context, wh where, tail string) ([]encounterRow, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT `+visitColumns+`, p.name FROM health_visits v LEFT JOIN health_queue q ON q.visit_id = v.id
		JOIN health_patients p ON p.id = v.patient_id`+wh.String()+tail, wh.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []encounterRow
	for rows.Next() {
		var e encounterRow
		var sys, dia, pulse, resp sql.NullInt64
		var temp, weight, height sql.NullFloat64
		v := &e.visit
		if err := rows.Scan(&v.ID, &v.PatientID, &v.PKM, &v.Poli, &v.Date, &v.Status, &v.Payer, &v.Sex, &v.AgeDays, &v.Kelurahan,
			database.T(&v.ArrivedAt), database.T(&v.StartedAt), database.T(&v.FinishedAt), &sys, &dia, &pulse, &resp, &temp, &weight, &height,
			&v.Anamnesis, &v.Actions, database.T(&v.UpdatedAt), &v.QueueNumber, &e.PatientName); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// encounters maps visits, with their diagnoses read in one query.
func (m *Module) encounters(ctx context.Context, fc fhirContext, visits []encounterRow) ([]any, []string, error) {
	diags := map[int64][]fhir.DiagnosisIn{}
	if len(visits) > 0 {
		var wh where
		var in []string
		for _, v := range visits {
			in = append(in, wh.arg(v.ID))
		}
		rows, err := m.d.DB.QueryContext(ctx, `SELECT id, visit_id, icd10, is_primary FROM health_diagnoses WHERE visit_id IN (`+
			strings.Join(in, ",")+`) ORDER BY id`, wh.args...)
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var d fhir.DiagnosisIn
			var visitID int64
			if err := rows.Scan(&d.ID, &visitID, &d.ICD, &d.Primary); err != nil {
				return nil, nil, err
			}
			if c, ok := icd10.Lookup(d.ICD); ok {
				d.Display = c.EN
			}
			diags[visitID] = append(diags[visitID], d)
		}
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	var res []any
	var ids []string
	for _, v := range visits {
		e := fhir.BuildEncounter(fhir.EncounterIn{ID: v.ID, OrgID: fc.orgID(v.PKM), PKM: v.PKM, PKMName: unitName(fc.tree, v.PKM), Poli: v.Poli,
			PoliName: fc.polis[v.Poli], PatientID: v.PatientID, PatientName: v.PatientName, Status: v.Status, Arrived: v.ArrivedAt,
			Started: v.StartedAt, Finished: v.FinishedAt, Diagnoses: diags[v.ID], LastUpdated: v.UpdatedAt})
		res, ids = append(res, e), append(ids, e.ID)
	}
	return res, ids, nil
}

// searchConditions: _id, subject, encounter, _lastUpdated.
func (m *Module) searchConditions(ctx context.Context, fc fhirContext, q url.Values, sp searchParams) ([]any, []string, bool, error) {
	var wh where
	if id := q.Get("_id"); id != "" {
		n, err := numericID(id)
		if err != nil {
			return nil, nil, false, err
		}
		wh.add("d.id = ?", n)
	}
	if err := wh.addReferences(q, refParam{"subject", "Patient", "d.patient_id"}, refParam{"encounter", "Encounter", "d.visit_id"}); err != nil {
		return nil, nil, false, err
	}
	sp.apply(&wh, "d.created_at")
	rows, err := m.d.DB.QueryContext(ctx, `SELECT d.id, d.visit_id, d.patient_id, d.puskesmas_code, d.icd10, d.created_at, p.name
		FROM health_diagnoses d JOIN health_patients p ON p.id = d.patient_id`+wh.String()+sp.page(&wh, "d.id"), wh.args...)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	var res []any
	var ids []string
	for rows.Next() {
		var c fhir.ConditionIn
		var pkm string
		if err := rows.Scan(&c.ID, &c.EncounterID, &c.PatientID, &pkm, &c.ICD, database.T(&c.Recorded), &c.PatientName); err != nil {
			return nil, nil, false, err
		}
		c.OrgID = fc.orgID(pkm)
		if code, ok := icd10.Lookup(c.ICD); ok {
			c.Display = code.EN
		}
		cond := fhir.BuildCondition(c)
		res, ids = append(res, cond), append(ids, cond.ID)
	}
	more := len(res) > sp.Count
	if more {
		res, ids = res[:sp.Count], ids[:sp.Count]
	}
	return res, ids, more, rows.Err()
}

// searchObservations: _id (m{measurement}-{kind}), subject, _lastUpdated.
// A page holds the observations of _count measurements (each measurement
// is up to eight observations, kept together).
func (m *Module) searchObservations(ctx context.Context, fc fhirContext, q url.Values, sp searchParams) ([]any, []string, bool, error) {
	var wh where
	if id := q.Get("_id"); id != "" {
		mid, _, ok := strings.Cut(strings.TrimPrefix(id, "m"), "-")
		n, err := numericID(mid)
		if !ok || err != nil {
			return nil, nil, false, nil
		}
		wh.add("x.id = ?", n)
	}
	if err := wh.addReferences(q, refParam{"subject", "Patient", "x.patient_id"}); err != nil {
		return nil, nil, false, err
	}
	sp.apply(&wh, "x.created_at")
	obs, more, err := m.observations(ctx, fc, wh, sp.page(&wh, "x.id"), sp.Count)
	if err != nil {
		return nil, nil, false, err
	}
	var res []any
	var ids []string
	for _, o := range obs {
		res, ids = append(res, o), append(ids, o.ID)
	}
	return res, ids, more, nil
}

func (m *Module) observations(ctx context.Context, fc fhirContext, wh where, tail string, limit int) ([]fhir.Observation, bool, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT x.id, x.patient_id, x.puskesmas_code, x.measured_on, x.created_at, x.weight_kg, x.lenhei_cm,
		x.position, x.age_days, x.head_cm, x.muac_cm, x.haz, x.waz, x.whz, x.baz, x.flags, p.name
		FROM health_measurements x JOIN health_patients p ON p.id = x.patient_id`+wh.String()+tail, wh.args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []fhir.Observation
	n := 0
	more := false
	for rows.Next() {
		if n == limit {
			more = true
			break
		}
		n++
		var in fhir.MeasurementIn
		var pkm, day, pos string
		var age int
		var w, h, head, muac, haz, waz, whz, baz sql.NullFloat64
		if err := rows.Scan(&in.ID, &in.PatientID, &pkm, &day, database.T(&in.Recorded), &w, &h, &pos, &age, &head, &muac, &haz, &waz, &whz,
			&baz, &in.Flags, &in.PatientName); err != nil {
			return nil, false, err
		}
		in.PKM, in.OrgID = pkm, fc.orgID(pkm)
		in.MeasuredOn, _ = time.Parse(database.DateLayout, day)
		in.WeightKg, in.LenHeiCm, in.HeadCm, in.MUACCm = nullFloat(w), nullFloat(h), nullFloat(head), nullFloat(muac)
		in.HAZ, in.WAZ, in.WHZ, in.BAZ = nullFloat(haz), nullFloat(waz), nullFloat(whz), nullFloat(baz)
		// Without a recorded position the age decides, as WHO Anthro
		// assumes: lying under two years.
		in.Lying = pos == "lying" || pos == "" && age < 731
		out = append(out, fhir.BuildObservations(in)...)
	}
	return out, more, rows.Err()
}

// maxExportDays bounds one export bundle (a month of one city's visits).
const maxExportDays = 31

// fhirExport is GET /fhir/R4/$export-bundle?start=YYYY-MM-DD&end=YYYY-MM-DD:
// a collection Bundle of the visits (Encounter, Condition) and child
// measurements (Observation) of the days from start to end inclusive,
// with the Patients, Organizations and Locations they refer to — what a
// nightly SATUSEHAT bridge sends. It is synchronous, unlike FHIR Bulk
// Data's asynchronous $export.
func (m *Module) fhirExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	start, err1 := time.Parse(database.DateLayout, r.URL.Query().Get("start"))
	end, err2 := time.Parse(database.DateLayout, r.URL.Query().Get("end"))
	if err1 != nil || err2 != nil || end.Before(start) || end.Sub(start) > maxExportDays*24*time.Hour {
		m.fhirError(w, r, http.StatusBadRequest, "invalid", fmt.Sprintf("start and end must be dates (YYYY-MM-DD), end not before start, at most %d days apart", maxExportDays))
		return
	}
	fc, err := m.fhirCtx(ctx)
	if err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	from, to := start.Format(database.DateLayout), end.Format(database.DateLayout)
	base := m.fhirBase()
	b := fhir.Bundle{ResourceType: "Bundle", Type: "collection", Timestamp: fhir.Instant(m.d.Clock.Now()), Entry: []fhir.BundleEntry{}}
	add := func(typ, id string, res any) {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: base + "/" + typ + "/" + id, Resource: res})
	}
	orgs, orgIDs := m.organizations(fc, "", "")
	for i := range orgs {
		add("Organization", orgIDs[i], orgs[i])
	}
	locs, locIDs, err := m.locations(ctx, fc, "", "")
	if err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	for i := range locs {
		add("Location", locIDs[i], locs[i])
	}
	var wh where
	wh.add("v.visit_date >= ?", from)
	wh.add("v.visit_date <= ?", to)
	visits, err := m.encounterRows(ctx, wh, " ORDER BY v.id")
	if err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	patients := map[int64]bool{}
	var conds []fhir.Condition
	for i := 0; i < len(visits); i += 500 {
		chunk := visits[i:min(i+500, len(visits))]
		encs, ids, err := m.encounters(ctx, fc, chunk)
		if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		for j := range encs {
			add("Encounter", ids[j], encs[j])
			patients[chunk[j].PatientID] = true
		}
	}
	var cw where
	cw.add("d.visit_date >= ?", from)
	cw.add("d.visit_date <= ?", to)
	crows, err := m.d.DB.QueryContext(ctx, `SELECT d.id, d.visit_id, d.patient_id, d.puskesmas_code, d.icd10, d.created_at, p.name
		FROM health_diagnoses d JOIN health_patients p ON p.id = d.patient_id`+cw.String()+` ORDER BY d.id`, cw.args...)
	if err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	for crows.Next() {
		var c fhir.ConditionIn
		var pkm string
		if err := crows.Scan(&c.ID, &c.EncounterID, &c.PatientID, &pkm, &c.ICD, database.T(&c.Recorded), &c.PatientName); err != nil {
			crows.Close()
			m.fhirServerError(w, r, err)
			return
		}
		c.OrgID = fc.orgID(pkm)
		if code, ok := icd10.Lookup(c.ICD); ok {
			c.Display = code.EN
		}
		conds = append(conds, fhir.BuildCondition(c))
	}
	crows.Close()
	for _, c := range conds {
		add("Condition", c.ID, c)
	}
	var ow where
	ow.add("x.measured_on >= ?", from)
	ow.add("x.measured_on <= ?", to)
	obs, _, err := m.observations(ctx, fc, ow, " ORDER BY x.id", 1<<30)
	if err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	for _, o := range obs {
		add("Observation", o.ID, o)
		if id, err := reference(o.Subject.Reference, "Patient"); err == nil {
			patients[id] = true
		}
	}
	ids := make([]int64, 0, len(patients))
	for id := range patients {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p, err := m.getPatient(ctx, id)
		if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		pr, err := m.patientResource(p)
		if err != nil {
			m.fhirServerError(w, r, err)
			return
		}
		add("Patient", strconv.FormatInt(id, 10), pr)
	}
	if err := m.auditFHIR(r, fmt.Sprintf("export %s..%s, %d resources", from, to, len(b.Entry))); err != nil {
		m.fhirServerError(w, r, err)
		return
	}
	writeFHIR(w, http.StatusOK, b)
}
