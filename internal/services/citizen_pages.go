package services

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// The citizen's pages: apply, my files, one file's timeline with
// fix-and-resubmit, the signed document and the IKM survey. They are the
// no-JavaScript twin of the /api/v1/my/ endpoints and call the same
// workflow functions.

// applyView is the data of the apply form and of a draft's edit form.
type applyView struct {
	Service   *Service
	Form      formState
	Kecamatan []kecamatanOption
	Uploads   map[string]Upload // none yet; the shared partial reads it
}

func (m *Module) citizenOnly(w http.ResponseWriter, r *http.Request) bool {
	if web.PrincipalOf(r).Kind != auth.Citizen {
		m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.d.Shell.T(r, "services.err_citizens_only"))
		return false
	}
	return true
}

func (m *Module) renderApply(w http.ResponseWriter, r *http.Request, status int, svc *Service, f formState) {
	v := m.d.Shell.Render.View(r, svc.Name, applyView{Service: svc, Form: f, Kecamatan: m.kelurahanOptions(), Uploads: map[string]Upload{}})
	m.d.Shell.Render.Page(w, r, status, "services/apply.html", v)
}

func (m *Module) pageApplyForm(w http.ResponseWriter, r *http.Request) {
	if !m.citizenOnly(w, r) {
		return
	}
	svc, err := m.service(r.Context(), m.d.DB, r.PathValue("code"))
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	f := newFormState()
	// The profile's kelurahan is the likely answer.
	if u, err := m.d.Auth.Me(r.Context(), web.PrincipalOf(r)); err == nil {
		f.Values["kelurahan_code"] = u.KelurahanCode
	}
	m.renderApply(w, r, http.StatusOK, svc, f)
}

// formFields reads the service's typed fields present in a posted form;
// a field left out keeps its stored value.
func formFields(r *http.Request, svc *Service) map[string]string {
	out := map[string]string{}
	for _, f := range svc.Fields {
		if vs, ok := r.PostForm[f.Code]; ok && len(vs) > 0 {
			out[f.Code] = vs[0]
		}
	}
	return out
}

// pageApply creates the draft, stores the chosen documents and submits it
// when complete; an incomplete file is kept as a draft whose page lists
// what is missing.
func (m *Module) pageApply(w http.ResponseWriter, r *http.Request) {
	if !m.citizenOnly(w, r) {
		return
	}
	ctx := r.Context()
	svc, err := m.service(ctx, m.d.DB, r.PathValue("code"))
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	f := newFormState()
	f.Values = formFields(r, svc)
	f.Values["nik"], f.Values["kelurahan_code"] = r.PostFormValue("nik"), r.PostFormValue("kelurahan_code")
	a, err := m.CreateDraft(ctx, web.PrincipalOf(r), web.ClientIP(r), DraftInput{ServiceCode: svc.Code, NIK: f.Values["nik"],
		KelurahanCode: f.Values["kelurahan_code"], Fields: f.Values})
	if err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderApply(w, r, status, svc, f)
		return
	}
	m.saveAndSubmit(w, r, a, svc, f)
}

// saveAndSubmit stores the posted documents, then submits unless the
// applicant only saved; refusals re-render the file page with the
// reasons, success redirects to it.
func (m *Module) saveAndSubmit(w http.ResponseWriter, r *http.Request, a *Application, svc *Service, f formState) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	status := 0
	for _, d := range svc.Documents {
		file, hdr, err := r.FormFile("doc_" + d.Type)
		if err != nil || hdr.Size == 0 {
			continue // not chosen this time
		}
		_, err = m.AddDocument(ctx, p, web.ClientIP(r), a.ID, d.Type, file)
		file.Close()
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				m.d.Shell.ServerError(w, r, err)
				return
			}
			status = e.Status
			// Translated here: the message names the accepted formats.
			f.Errors["doc_"+d.Type] = m.d.Shell.T(r, e.Key, e.Args...)
			f.Summary = "services.err_check_fields"
		}
	}
	if status == 0 && r.PostFormValue("action") != "save" {
		if _, err := m.Submit(ctx, p, web.ClientIP(r), a.ID); err != nil {
			var ok bool
			if status, ok = f.absorb(err); !ok {
				m.d.Shell.ServerError(w, r, err)
				return
			}
		}
	}
	if status != 0 {
		fresh, err := m.appByID(ctx, m.d.DB, a.ID)
		if err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderMyFile(w, r, status, fresh, f)
		return
	}
	http.Redirect(w, r, "/layanan/saya/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
}

func (m *Module) pageMine(w http.ResponseWriter, r *http.Request) {
	list, err := m.myApplications(r.Context(), web.PrincipalOf(r))
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	names := map[string]string{}
	if svcs, err := m.services(r.Context()); err == nil {
		for _, s := range svcs {
			names[s.Code] = s.Name
		}
	}
	for _, a := range list {
		a["service_name"] = names[a["service"].(string)]
	}
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.mine_title"), map[string]any{"Apps": list})
	m.d.Shell.Render.Page(w, r, http.StatusOK, "services/mine.html", v)
}

// myFileView is one file as its applicant sees it.
type myFileView struct {
	App        *Application
	Service    *Service
	Editable   bool
	Checklist  []ChecklistItem
	Uploads    map[string]Upload
	Stages     []stageRow
	Bills      []Bill
	Events     []Event
	Document   string
	SurveyOpen bool
	Elements   []surveyItem
	Scores     []int
	Form       formState
	UnitNames  map[string]string
	Loc        *time.Location
}

// surveyItem is one IKM element's radio group.
type surveyItem struct{ Name, Label, Value string }

func (m *Module) ownFromPath(w http.ResponseWriter, r *http.Request) (*Application, bool) {
	id, ok := pathID(r)
	if !ok {
		m.d.Shell.NotFound(w, r)
		return nil, false
	}
	a, err := m.ownApp(r.Context(), m.d.DB, web.PrincipalOf(r), id)
	if err != nil {
		m.pageFail(w, r, err)
		return nil, false
	}
	return a, true
}

func (m *Module) pageMyFile(w http.ResponseWriter, r *http.Request) {
	a, ok := m.ownFromPath(w, r)
	if !ok {
		return
	}
	m.renderMyFile(w, r, http.StatusOK, a, newFormState())
}

func (m *Module) renderMyFile(w http.ResponseWriter, r *http.Request, status int, a *Application, f formState) {
	v, err := m.myFile(r.Context(), a, f)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	v.UnitNames, v.Loc = m.unitNames(r), m.d.Location
	title := v.Service.Name
	if a.Number != "" {
		title += " — " + a.Number
	}
	m.d.Shell.Render.Page(w, r, status, "services/myfile.html", m.d.Shell.Render.View(r, title, v))
}

func (m *Module) myFile(ctx context.Context, a *Application, f formState) (*myFileView, error) {
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		return nil, err
	}
	ups, err := m.uploads(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	rows, err := m.stages(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	bills, err := m.billsOf(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	evs, err := m.events(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	v := &myFileView{App: a, Service: svc, Editable: a.Status == StatusDraft || a.Status == StatusRevision, Uploads: ups,
		Stages: m.stageRows(m.stagesJSON(svc, rows, false)), Bills: bills, Events: evs, Form: f,
		Scores: []int{1, 2, 3, 4}}
	for i, el := range IKMElements {
		name := "u" + strconv.Itoa(i+1)
		v.Elements = append(v.Elements, surveyItem{Name: name, Label: "services.ikm_" + el, Value: f.Values[name]})
	}
	// Values the applicant just typed win over the stored ones.
	shown := map[string]string{}
	for k, val := range a.Fields {
		shown[k] = val
	}
	for k, val := range f.Values {
		shown[k] = val
	}
	v.Form.Values = shown
	v.Checklist = Checklist(svc, a, ups)
	if a.Status == StatusCompleted {
		v.Document = "S-" + a.Number
		var n int
		if err := m.d.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM svc_surveys WHERE application_id = $1`, a.ID).Scan(&n); err != nil {
			return nil, err
		}
		v.SurveyOpen = n == 0
	}
	return v, nil
}

// pageMyFileUpdate saves the edited fields and chosen documents of a
// draft or returned file and (re)submits it.
func (m *Module) pageMyFileUpdate(w http.ResponseWriter, r *http.Request) {
	a, ok := m.ownFromPath(w, r)
	if !ok {
		return
	}
	svc, err := m.service(r.Context(), m.d.DB, a.ServiceCode)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	f := newFormState()
	f.Values = formFields(r, svc)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := m.UpdateFields(r.Context(), web.PrincipalOf(r), web.ClientIP(r), a.ID, version, f.Values); err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderMyFile(w, r, status, a, f)
		return
	}
	m.saveAndSubmit(w, r, a, svc, f)
}

func (m *Module) pageMyDocument(w http.ResponseWriter, r *http.Request) {
	a, ok := m.ownFromPath(w, r)
	if !ok {
		return
	}
	d, err := m.issued(r.Context(), "application_id = $1", a.ID)
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	// A download (not inline): the citizen keeps the exact signed bytes,
	// which the verification page can later check.
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+d.Number+`.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(d.PDF)
}

// pageSurvey records the IKM answers posted as u1…u9 (1–4 each).
func (m *Module) pageSurvey(w http.ResponseWriter, r *http.Request) {
	a, ok := m.ownFromPath(w, r)
	if !ok {
		return
	}
	f := newFormState()
	scores := make([]int, len(IKMElements))
	for i := range IKMElements {
		key := "u" + strconv.Itoa(i+1)
		f.Values[key] = r.PostFormValue(key)
		scores[i], _ = strconv.Atoi(f.Values[key])
	}
	f.Values["comment"] = r.PostFormValue("comment")
	if err := m.SaveSurvey(r.Context(), web.PrincipalOf(r), web.ClientIP(r), a.ID, scores, f.Values["comment"]); err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderMyFile(w, r, status, a, f)
		return
	}
	http.Redirect(w, r, "/layanan/saya/"+strconv.FormatInt(a.ID, 10)+"#survei", http.StatusSeeOther)
}
