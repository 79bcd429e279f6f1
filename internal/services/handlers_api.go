package services

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/services/retribution"
)

type stageJSON struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Unit       string            `json:"unit"`
	Status     string            `json:"status"`
	StartedAt  *time.Time        `json:"started_at"`
	DueAt      *time.Time        `json:"due_at"`
	FinishedAt *time.Time        `json:"finished_at"`
	Note       string            `json:"note,omitempty"`
	Version    int               `json:"version,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	Overdue    bool              `json:"overdue,omitempty"`
}

func tp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (m *Module) stagesJSON(svc *Service, rows []StageRow, staff bool) []stageJSON {
	now := m.d.Clock.Now()
	out := []stageJSON{}
	for _, s := range rows {
		def, _, _ := svc.stage(s.Code)
		j := stageJSON{Code: s.Code, Name: def.Name, Unit: s.UnitCode, Status: s.Status, StartedAt: tp(s.StartedAt), DueAt: tp(s.DueAt),
			FinishedAt: tp(s.FinishedAt), Overdue: s.Status == StageActive && now.After(s.DueAt)}
		if s.Status == StageReturned || s.Status == StageRejected {
			j.Note = s.Note // notes addressed to the applicant
		}
		if staff {
			j.Note, j.Version, j.Data = s.Note, s.Version, s.Data
		}
		out = append(out, j)
	}
	return out
}

func (m *Module) apiServices(w http.ResponseWriter, r *http.Request) {
	list, err := m.services(r.Context())
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	if list == nil {
		list = []Service{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"services": list})
}

func (m *Module) apiService(w http.ResponseWriter, r *http.Request) {
	s, err := m.service(r.Context(), m.d.DB, r.PathValue("code"))
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, s)
}

func (m *Module) apiSaveService(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Service
		Active *bool `json:"active"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 256<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	in.Code = r.PathValue("code")
	if err := in.Service.Validate(); err != nil {
		web.WriteError(w, r, http.StatusUnprocessableEntity, "validation", err.Error(), nil)
		return
	}
	active := in.Active == nil || *in.Active
	err := m.saveServiceAudited(r, in.Service, active)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, in.Service)
}

var last4Pattern = regexp.MustCompile(`^\d{4}$`)

// apiPublicStatus answers the status of a file to anyone holding its
// number and the last four digits of the applicant's phone.
func (m *Module) apiPublicStatus(w http.ResponseWriter, r *http.Request) {
	last4 := r.URL.Query().Get("phone_last4")
	if !last4Pattern.MatchString(last4) {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "phone_last4"))
		return
	}
	st, err := m.publicStatus(r, r.PathValue("number"), last4)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, st)
}

type publicStatus struct {
	Number      string      `json:"number"`
	Service     string      `json:"service"`
	ServiceName string      `json:"service_name"`
	Status      string      `json:"status"`
	SubmittedAt *time.Time  `json:"submitted_at"`
	CompletedAt *time.Time  `json:"completed_at"`
	Stages      []stageJSON `json:"stages"`
	Document    string      `json:"document,omitempty"`
}

func (m *Module) publicStatus(r *http.Request, number, last4 string) (*publicStatus, error) {
	ctx := r.Context()
	a, err := m.appByNumber(ctx, m.d.DB, number)
	if err != nil {
		return nil, err
	}
	// Wrong digits look exactly like an unknown number.
	if subtle.ConstantTimeCompare([]byte(a.PhoneLast4), []byte(last4)) != 1 {
		return nil, errNotFound()
	}
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		return nil, err
	}
	rows, err := m.stages(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	out := &publicStatus{Number: a.Number, Service: svc.Code, ServiceName: svc.Name, Status: a.Status, SubmittedAt: tp(a.SubmittedAt),
		CompletedAt: tp(a.CompletedAt), Stages: m.stagesJSON(svc, rows, false)}
	if a.Status == StatusCompleted {
		out.Document = "S-" + a.Number
	}
	return out, nil
}

func (m *Module) apiRetribution(w http.ResponseWriter, r *http.Request) {
	var in retribution.Input
	if err := m.d.Shell.DecodeJSON(w, r, &in, 8<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	ix, err := m.indices(r.Context(), m.d.DB)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	amount, b, err := ix.Compute(in)
	var fe *retribution.FieldError
	if errors.As(err, &fe) {
		m.d.Shell.WriteAPIError(w, r, web.ValidationError(m.d.Shell.T(r, "services.err_check_fields"),
			map[string]string{fe.Field: m.d.Shell.T(r, "services.err_retribution_input") + " (" + fe.Reason + ")"}))
		return
	}
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"amount": amount, "breakdown": b})
}

func (m *Module) apiIndices(w http.ResponseWriter, r *http.Request) {
	ix, err := m.indices(r.Context(), m.d.DB)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, ix)
}

func (m *Module) apiSaveIndices(w http.ResponseWriter, r *http.Request) {
	var ix retribution.Indices
	if err := m.d.Shell.DecodeJSON(w, r, &ix, 64<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	if err := ix.Validate(); err != nil {
		web.WriteError(w, r, http.StatusUnprocessableEntity, "validation", err.Error(), nil)
		return
	}
	if err := m.saveIndices(r, ix); err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, ix)
}

// --- applicant ---

type appJSON struct {
	ID          int64             `json:"id"`
	Number      string            `json:"number,omitempty"`
	Service     string            `json:"service"`
	Status      string            `json:"status"`
	Revision    int               `json:"revision"`
	Version     int               `json:"version"`
	NIK         string            `json:"nik"`
	Kelurahan   string            `json:"kelurahan_code"`
	Fields      map[string]string `json:"fields"`
	Checklist   []ChecklistItem   `json:"checklist,omitempty"`
	Stages      []stageJSON       `json:"stages,omitempty"`
	Bills       []Bill            `json:"bills,omitempty"`
	Timeline    []Event           `json:"timeline,omitempty"`
	Document    string            `json:"document,omitempty"`
	SubmittedAt *time.Time        `json:"submitted_at,omitempty"`
}

func (m *Module) apiCreate(w http.ResponseWriter, r *http.Request) {
	if web.PrincipalOf(r).Kind != auth.Citizen {
		m.writeErr(w, r, &Error{Status: http.StatusForbidden, Code: "citizens_only", Key: "services.err_citizens_only"})
		return
	}
	var in struct {
		Service   string            `json:"service_code"`
		NIK       string            `json:"nik"`
		Kelurahan string            `json:"kelurahan_code"`
		Fields    map[string]string `json:"fields"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 64<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	a, err := m.CreateDraft(r.Context(), web.PrincipalOf(r), web.ClientIP(r), DraftInput{ServiceCode: in.Service, NIK: in.NIK,
		KelurahanCode: in.Kelurahan, Fields: in.Fields})
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	m.writeApp(w, r, http.StatusCreated, a)
}

func (m *Module) writeApp(w http.ResponseWriter, r *http.Request, status int, a *Application) {
	j, err := m.appView(r, a)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, status, j)
}

func (m *Module) appView(r *http.Request, a *Application) (*appJSON, error) {
	ctx := r.Context()
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
	j := &appJSON{ID: a.ID, Number: a.Number, Service: a.ServiceCode, Status: a.Status, Revision: a.Revision, Version: a.Version,
		NIK: a.NIKMasked, Kelurahan: a.KelurahanCode, Fields: a.Fields, Stages: m.stagesJSON(svc, rows, false), Bills: bills,
		Timeline: evs, SubmittedAt: tp(a.SubmittedAt)}
	for _, it := range Checklist(svc, a, ups) {
		if it.Issue != "" {
			it.Issue = m.d.Shell.T(r, it.Issue)
		}
		j.Checklist = append(j.Checklist, it)
	}
	if a.Status == StatusCompleted {
		j.Document = "S-" + a.Number
	}
	return j, nil
}

func (m *Module) apiMine(w http.ResponseWriter, r *http.Request) {
	list, err := m.myApplications(r.Context(), web.PrincipalOf(r))
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"applications": list})
}

func (m *Module) apiMyApp(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	a, err := m.ownApp(r.Context(), m.d.DB, web.PrincipalOf(r), id)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	m.writeApp(w, r, http.StatusOK, a)
}

func (m *Module) apiUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	var in struct {
		Version int               `json:"version"`
		Fields  map[string]string `json:"fields"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 64<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	a, err := m.UpdateFields(r.Context(), web.PrincipalOf(r), web.ClientIP(r), id, in.Version, in.Fields)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	m.writeApp(w, r, http.StatusOK, a)
}

func (m *Module) apiUpload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		m.writeErr(w, r, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "services.upload_too_large", Args: []any{"pdf, jpeg, png"}})
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		m.writeErr(w, r, errInvalid("services.err_check_fields", map[string]string{"file": "services.err_required"}))
		return
	}
	defer f.Close()
	u, err := m.AddDocument(r.Context(), web.PrincipalOf(r), web.ClientIP(r), id, r.FormValue("doc_type"), f)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"id": u.ID, "doc_type": u.DocType, "content_type": u.ContentType, "size": u.Size})
}

func (m *Module) apiSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	a, err := m.Submit(r.Context(), web.PrincipalOf(r), web.ClientIP(r), id)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	m.writeApp(w, r, http.StatusOK, a)
}

func (m *Module) apiMyDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	if _, err := m.ownApp(r.Context(), m.d.DB, web.PrincipalOf(r), id); err != nil {
		m.writeErr(w, r, err)
		return
	}
	d, err := m.issued(r.Context(), "application_id = $1", id)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	writePDF(w, d.Number, d.PDF)
}

func writePDF(w http.ResponseWriter, number string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+number+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(pdf)
}

// --- officers ---

func (m *Module) apiQueue(w http.ResponseWriter, r *http.Request) {
	items, err := m.Queue(r.Context(), web.PrincipalOf(r), QueueFilter{Unit: r.URL.Query().Get("unit"), Limit: 100})
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (m *Module) apiFile(w http.ResponseWriter, r *http.Request) {
	v, err := m.staffFile(r, r.PathValue("number"))
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, v)
}

func (m *Module) apiFileUpload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	m.serveUpload(w, r, r.PathValue("number"), id)
}

func (m *Module) apiAct(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Action  string            `json:"action"`
		Note    string            `json:"note"`
		Data    map[string]string `json:"data"`
		Version int               `json:"version"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 64<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	a, err := m.Act(r.Context(), web.PrincipalOf(r), web.ClientIP(r), r.PathValue("number"), r.PathValue("stage"),
		ActInput{Action: in.Action, Note: in.Note, Data: in.Data, Version: in.Version})
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	v, err := m.staffView(r, a, false)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, v)
}

func (m *Module) apiAssign(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 4<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	if err := m.Assign(r.Context(), web.PrincipalOf(r), web.ClientIP(r), r.PathValue("number"), r.PathValue("stage"), in.Username); err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"assigned": in.Username})
}

func (m *Module) apiBreaches(w http.ResponseWriter, r *http.Request) {
	items, err := m.Queue(r.Context(), web.PrincipalOf(r), QueueFilter{Unit: r.URL.Query().Get("unit"), OverdueOnly: true, Limit: 500,
		Permission: "services.supervise"})
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

type paymentIn struct {
	Bill      string `json:"bill_number"`
	Amount    int64  `json:"amount"`
	Reference string `json:"reference"`
	PaidAt    string `json:"paid_at,omitempty"`
}

func (m *Module) apiOfficerPayment(w http.ResponseWriter, r *http.Request) {
	var in paymentIn
	if err := m.d.Shell.DecodeJSON(w, r, &in, 4<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	number := r.PathValue("number")
	// The officer must handle the payment stage's unit.
	if err := m.authorizeBill(r, number); err != nil {
		m.writeErr(w, r, err)
		return
	}
	m.pay(w, r, number, in)
}

func (m *Module) apiBankCallback(w http.ResponseWriter, r *http.Request) {
	var in paymentIn
	if err := m.d.Shell.DecodeJSON(w, r, &in, 4<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	m.pay(w, r, in.Bill, in)
}

func (m *Module) pay(w http.ResponseWriter, r *http.Request, number string, in paymentIn) {
	fields := map[string]string{}
	if number == "" {
		fields["bill_number"] = "services.err_required"
	}
	if in.Reference == "" || len(in.Reference) > 100 {
		fields["reference"] = "services.err_required"
	}
	if in.Amount <= 0 {
		fields["amount"] = "services.err_number"
	}
	if len(fields) > 0 {
		m.writeErr(w, r, errInvalid("services.err_check_fields", fields))
		return
	}
	b, err := m.Pay(r.Context(), auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), number, in.Amount, in.Reference)
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, b)
}

func (m *Module) apiSurvey(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		m.writeErr(w, r, errNotFound())
		return
	}
	var in struct {
		Scores  []int  `json:"scores"`
		Comment string `json:"comment"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 8<<10); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	if err := m.SaveSurvey(r.Context(), web.PrincipalOf(r), web.ClientIP(r), id, in.Scores, in.Comment); err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]any{"saved": true})
}

func (m *Module) apiStats(w http.ResponseWriter, r *http.Request) {
	st, err := m.Stats(r.Context())
	if err != nil {
		m.writeErr(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, st)
}
