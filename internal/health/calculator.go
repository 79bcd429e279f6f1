package health

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/growth"
)

// calcForm is the public calculator's form, kept as typed so the page can
// show it back.
type calcForm struct {
	Sex, BirthDate, MeasuredOn, AgeMonths, WeightKg, LenHeiCm, Measure string
	Oedema                                                             bool
}

// calcView is what the calculator page shows after a computation.
type calcView struct {
	Form    calcForm
	Errors  map[string]string
	Result  *zscoreResult
	Cats    growth.Categories
	AgeDays int
}

func (m *Module) calcPage(w http.ResponseWriter, r *http.Request) {
	today := m.d.Clock.Now().In(m.d.Location).Format("2006-01-02")
	m.renderCalc(w, r, http.StatusOK, calcView{Form: calcForm{MeasuredOn: today}})
}

func (m *Module) renderCalc(w http.ResponseWriter, r *http.Request, status int, v calcView) {
	sh := m.d.Shell
	sh.Render.Page(w, r, status, "health/calculator.html", sh.Render.View(r, sh.T(r, "health.calc.title"), v))
}

// calcSubmit computes on the server, so the calculator works without
// JavaScript on any phone.
func (m *Module) calcSubmit(w http.ResponseWriter, r *http.Request) {
	f := calcForm{Sex: r.PostFormValue("sex"), BirthDate: strings.TrimSpace(r.PostFormValue("birth_date")),
		MeasuredOn: strings.TrimSpace(r.PostFormValue("measured_on")), AgeMonths: strings.TrimSpace(r.PostFormValue("age_months")),
		WeightKg: strings.TrimSpace(r.PostFormValue("weight_kg")), LenHeiCm: strings.TrimSpace(r.PostFormValue("lenhei_cm")),
		Measure: r.PostFormValue("measure"), Oedema: r.PostFormValue("oedema") != ""}
	v := calcView{Form: f, Errors: map[string]string{}}
	in, err := m.calcInput(f)
	var res growth.Result
	if err == nil {
		res, err = assess(in)
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		v.Errors[calcField(fe.Field)] = fe.Key
		m.renderCalc(w, r, http.StatusUnprocessableEntity, v)
		return
	} else if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	out := toResult(res)
	v.Result, v.Cats, v.AgeDays = &out, growth.Categorize(res), in.AgeDays
	m.renderCalc(w, r, http.StatusOK, v)
}

// calcField maps an API field name to the form's.
func calcField(f string) string {
	switch f {
	case "measure":
		return "measure"
	case growth.FieldMeasuredOn:
		return "measured_on"
	case growth.FieldAgeDays, growth.FieldAgeMonths:
		return "age_months"
	}
	return f
}

// calcInput reads the age from the dates (preferred: exact) or from the
// age in months, as a KMS card gives it.
func (m *Module) calcInput(f calcForm) (growth.Input, error) {
	q := zscoreRequest{Sex: f.Sex, Measure: f.Measure, Oedema: f.Oedema}
	var err error
	if q.WeightKg, err = optFloat(f.WeightKg, "weight_kg"); err != nil {
		return growth.Input{}, err
	}
	if q.LenHeiCm, err = optFloat(f.LenHeiCm, "lenhei_cm"); err != nil {
		return growth.Input{}, err
	}
	var days int
	switch {
	case f.BirthDate != "":
		birth, err := time.Parse("2006-01-02", f.BirthDate)
		if err != nil {
			return growth.Input{}, &fieldError{"birth_date", "health.err.date"}
		}
		measured := m.d.Clock.Now().In(m.d.Location)
		if f.MeasuredOn != "" {
			if measured, err = time.Parse("2006-01-02", f.MeasuredOn); err != nil {
				return growth.Input{}, &fieldError{"measured_on", "health.err.date"}
			}
		}
		if days, err = m.measuredAge(birth, measured); err != nil {
			return growth.Input{}, err
		}
	case f.AgeMonths != "":
		months, err := strconv.ParseFloat(strings.ReplaceAll(f.AgeMonths, ",", "."), 64)
		if err == nil {
			days, err = growth.AgeDaysFromMonths(months)
		}
		if err != nil {
			return growth.Input{}, &fieldError{"age_months", "health.err.growth_age_invalid"}
		}
	default:
		return growth.Input{}, &fieldError{"age_months", "health.err.age_required"}
	}
	q.AgeDays = &days
	return q.toInput()
}

// measuredAge is the age in days at a measurement, refusing a measurement
// dated before birth or in the future.
func (m *Module) measuredAge(birth, measured time.Time) (int, error) {
	today := m.d.Clock.Now().In(m.d.Location)
	if measured.Format("2006-01-02") > today.Format("2006-01-02") {
		return 0, &fieldError{"measured_on", "health.err.date_future"}
	}
	days, err := growth.AgeInDays(birth, measured)
	if err != nil {
		return 0, &fieldError{"measured_on", "health.err.growth_measured_before_birth"}
	}
	return days, nil
}

// optFloat reads an optional decimal ("12,5" or "12.5").
func optFloat(s, field string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || v != v {
		return nil, &fieldError{field, "health.err.number"}
	}
	return &v, nil
}
