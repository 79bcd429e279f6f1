package health

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/growth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// posyanduRow is a posyandu for the measurement form.
type posyanduRow struct {
	ID   int64
	Name string
}

func (m *Module) posyanduOf(r *http.Request, pkm string) ([]posyanduRow, error) {
	rows, err := m.d.DB.QueryContext(r.Context(), `SELECT id, name FROM health_posyandu WHERE puskesmas_code = $1 ORDER BY name`, pkm)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []posyanduRow
	for rows.Next() {
		var p posyanduRow
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// measurementForm is the form as typed.
type measurementForm struct {
	MeasuredOn, WeightKg, LenHeiCm, Position, MUACCm, HeadCm, Posyandu string
	Oedema                                                             bool
}

// childPage is a child's growth record: the WHO charts with the child's
// points, every measurement with its z-scores, categories and weight gain,
// and the form for a new measurement. The read is audit-logged.
func (m *Module) childPage(w http.ResponseWriter, r *http.Request) {
	p, s, ok := m.loadPatient(w, r)
	if !ok {
		return
	}
	m.renderChild(w, r, http.StatusOK, p, s, measurementForm{MeasuredOn: m.todayString()}, nil, nil)
}

func (m *Module) renderChild(w http.ResponseWriter, r *http.Request, status int, p patient, s pkmScope, f measurementForm, errs fieldErrors, saved *measurement) {
	if err := m.auditRead(r, "health_patient", p.ID, "growth_record"); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	series, err := loadSeries(r.Context(), m.d.DB, p.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	posyandu, err := m.posyanduOf(r, p.PKM)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	charts, err := m.childCharts(r, p, series)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	age := ageDaysOn(p.BirthDate, m.today())
	// Newest first in the table.
	rev := make([]measurement, len(series))
	for i, ms := range series {
		rev[len(series)-1-i] = ms
	}
	m.page(w, r, status, "child.html", "health.child.title", map[string]any{"Scope": s, "P": p, "AgeDays": age, "AgeMonths": age * 12 / 365,
		"UnderFive": age <= growth.MaxAgeDays, "Series": rev, "Charts": charts, "Posyandu": posyandu, "Form": f, "Errors": errs,
		"Saved": saved, "Flash": flash(r)})
}

// childCharts draws length/height-for-age, weight-for-age and
// weight-for-length/height over the child's age so far.
func (m *Module) childCharts(r *http.Request, p patient, series []measurement) ([]template.HTML, error) {
	sh := m.d.Shell
	sex := growthSex(p.Sex)
	lastAge := ageDaysOn(p.BirthDate, m.today())
	for _, ms := range series {
		lastAge = max(lastAge, ms.AgeDays)
	}
	xMax := float64(min(growth.MaxAgeDays, max(730, lastAge+92)))
	monthTick := func(x float64) string { return strconv.Itoa(int(x/30.4375 + 0.5)) }
	xStep := 30.4375 * 3
	if xMax > 800 {
		xStep = 30.4375 * 6
	}
	var hfa, wfa, wfh []chartPoint
	useHeight := lastAge >= 731
	for _, ms := range series {
		if ms.Res.LenHeiAdjustedCm != nil {
			hfa = append(hfa, chartPoint{float64(ms.AgeDays), *ms.Res.LenHeiAdjustedCm})
		}
		if ms.WeightKg != nil {
			wfa = append(wfa, chartPoint{float64(ms.AgeDays), *ms.WeightKg})
		}
		if ms.WeightKg != nil && ms.Res.LenHeiAdjustedCm != nil && (ms.AgeDays >= 731) == useHeight {
			wfh = append(wfh, chartPoint{*ms.Res.LenHeiAdjustedCm, *ms.WeightKg})
		}
	}
	months := sh.T(r, "health.chart.age_months")
	a, err := growthChart(growth.LengthHeightForAge, sex, 0, xMax, hfa, sh.T(r, "health.chart.hfa"), months, "cm", monthTick, xStep)
	if err != nil {
		return nil, err
	}
	b, err := growthChart(growth.WeightForAge, sex, 0, xMax, wfa, sh.T(r, "health.chart.wfa"), months, "kg", monthTick, xStep)
	if err != nil {
		return nil, err
	}
	ind, lo, hi, title := growth.WeightForLength, 45.0, 110.0, sh.T(r, "health.chart.wfl")
	if useHeight {
		ind, lo, hi, title = growth.WeightForHeight, 65.0, 120.0, sh.T(r, "health.chart.wfh")
	}
	cmTick := func(x float64) string { return strconv.Itoa(int(x)) }
	c, err := growthChart(ind, sex, lo, hi, wfh, title, "cm", "kg", cmTick, 5)
	if err != nil {
		return nil, err
	}
	return []template.HTML{a, b, c}, nil
}

// readMeasurement checks a measurement form against the child. An
// impossible value (weight 0, a length of 300 cm, a date before birth or
// in the future, a child of five or older) is refused; an implausible
// but possible one is stored with WHO's flag.
func (m *Module) readMeasurement(r *http.Request, p patient, s pkmScope) (measurement, measurementForm, fieldErrors) {
	f := measurementForm{MeasuredOn: strings.TrimSpace(r.PostFormValue("measured_on")), WeightKg: strings.TrimSpace(r.PostFormValue("weight_kg")),
		LenHeiCm: strings.TrimSpace(r.PostFormValue("lenhei_cm")), Position: r.PostFormValue("position"), Oedema: r.PostFormValue("oedema") != "",
		MUACCm: strings.TrimSpace(r.PostFormValue("muac_cm")), HeadCm: strings.TrimSpace(r.PostFormValue("head_cm")), Posyandu: r.PostFormValue("posyandu")}
	ms := measurement{PatientID: p.ID, Sex: p.Sex, Oedema: f.Oedema, Position: growth.Position(f.Position), PKM: p.PKM, Kelurahan: p.Kelurahan}
	errs := fieldErrors{}
	day, err := time.Parse(database.DateLayout, f.MeasuredOn)
	if err != nil {
		errs["measured_on"] = "health.err.date"
	} else if ms.AgeDays, err = m.measuredAge(p.BirthDate, day); err != nil {
		var fe *fieldError
		errors.As(err, &fe)
		errs["measured_on"] = fe.Key
	} else if ms.AgeDays > growth.MaxAgeDays {
		errs["measured_on"] = "health.err.over_five"
	}
	ms.MeasuredOn = day
	for _, x := range []struct {
		val   string
		field string
		dst   **float64
		lo    float64
		hi    float64
	}{{f.WeightKg, "weight_kg", &ms.WeightKg, 0, 0}, {f.LenHeiCm, "lenhei_cm", &ms.LenHeiCm, 0, 0},
		{f.MUACCm, "muac_cm", &ms.MUACCm, 5, 35}, {f.HeadCm, "head_cm", &ms.HeadCm, 25, 60}} {
		v, err := optFloat(x.val, x.field)
		if err != nil {
			errs[x.field] = "health.err.number"
			continue
		}
		if v != nil && x.hi > 0 && (*v < x.lo || *v > x.hi) {
			errs[x.field] = "health.err.measure_range"
			continue
		}
		*x.dst = v
	}
	if ms.WeightKg == nil && ms.LenHeiCm == nil && errs["weight_kg"] == "" && errs["lenhei_cm"] == "" {
		errs["weight_kg"] = "health.err.measure_required"
	}
	switch ms.Position {
	case growth.Lying, growth.Standing, growth.PositionUnknown:
	default:
		errs["position"] = "health.err.position"
	}
	if f.Posyandu != "" {
		id, err := strconv.ParseInt(f.Posyandu, 10, 64)
		var pkm, kel string
		if err == nil {
			err = m.d.DB.QueryRowContext(r.Context(), `SELECT puskesmas_code, kelurahan_code FROM health_posyandu WHERE id = $1`, id).Scan(&pkm, &kel)
		}
		if err != nil || !s.Has(pkm) && pkm != p.PKM {
			errs["posyandu"] = "health.err.posyandu"
		} else {
			ms.PosyanduID, ms.PKM = id, pkm
			if ms.Kelurahan == "" {
				ms.Kelurahan = kel
			}
		}
	}
	if len(errs) > 0 {
		return ms, f, errs
	}
	res, err := assess(growth.Input{Sex: growthSex(p.Sex), AgeDays: ms.AgeDays, WeightKg: ms.WeightKg, LenHeiCm: ms.LenHeiCm,
		Position: ms.Position, Oedema: ms.Oedema})
	var fe *fieldError
	if errors.As(err, &fe) {
		field := fe.Field
		if field == "measure" {
			field = "position"
		}
		errs[field] = fe.Key
		return ms, f, errs
	}
	ms.Res, ms.Cats = res, growth.Categorize(res)
	return ms, f, nil
}

func (m *Module) measurementCreate(w http.ResponseWriter, r *http.Request) {
	p, s, ok := m.loadPatient(w, r)
	if !ok {
		return
	}
	ms, f, errs := m.readMeasurement(r, p, s)
	if len(errs) > 0 {
		m.renderChild(w, r, http.StatusUnprocessableEntity, p, s, f, errs, nil)
		return
	}
	if _, err := m.addMeasurement(r.Context(), ms); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/kesehatan/anak/%d?flash=measured", p.ID), http.StatusSeeOther)
}
