package services

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// The officers' pages: the stage queue of their units, a file with its
// documents and the action forms of the stages they handle, bill
// payments, and for supervisors the SLA breaches and reassignment. They
// call the same workflow functions as the /api/v1/files endpoints.

// queueGroup is the queue of one stage of one service.
type queueGroup struct {
	Service, ServiceName, Stage, StageName string
	Items                                  []QueueItem
}

type queueView struct {
	Groups    []queueGroup
	Breaches  []QueueItem
	Supervise bool
	Stage     string
	Loc       *time.Location
	UnitNames map[string]string
	Names     map[string]string // "service/stage" and "service" → display name
}

// stageNames maps service codes and "service/stage" to display names.
func (m *Module) stageNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	svcs, err := m.services(ctx)
	if err != nil {
		return out
	}
	for _, s := range svcs {
		out[s.Code] = s.Name
		for _, st := range s.Stages {
			out[s.Code+"/"+st.Code] = st.Name
		}
	}
	return out
}

func (m *Module) pageQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	q := r.URL.Query()
	items, err := m.Queue(ctx, p, QueueFilter{Unit: q.Get("unit"), Limit: 500})
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	v := queueView{Stage: q.Get("tahap"), Loc: m.d.Location, UnitNames: m.unitNames(r), Names: m.stageNames(ctx)}
	// Items come most overdue first, so groups appear in the order of
	// their most urgent file.
	index := map[string]int{}
	for _, it := range items {
		if v.Stage != "" && it.Stage != v.Stage {
			continue
		}
		k := it.Service + "/" + it.Stage
		i, ok := index[k]
		if !ok {
			i = len(v.Groups)
			index[k] = i
			v.Groups = append(v.Groups, queueGroup{Service: it.Service, ServiceName: v.Names[it.Service], Stage: it.Stage, StageName: v.Names[k]})
		}
		v.Groups[i].Items = append(v.Groups[i].Items, it)
	}
	if p.Has("services.supervise") {
		v.Supervise = true
		if v.Breaches, err = m.Queue(ctx, p, QueueFilter{OverdueOnly: true, Limit: 500, Permission: "services.supervise"}); err != nil {
			m.pageFail(w, r, err)
			return
		}
	}
	m.d.Shell.Render.Page(w, r, http.StatusOK, "services/officer_queue.html", m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.queue_title"), v))
}

// officerStage is a stage on the file page with what the viewer may do.
type officerStage struct {
	StageRow
	Def       Stage
	Actions   []string // approval/return/… forms to show
	CanAssign bool
	Officers  []staffOption
	Assignee  string
	Overdue   bool
}

type staffOption struct{ Username, Name string }

type officerBill struct {
	Bill
	CanPay bool
}

type officerFileView struct {
	App       *Application
	Service   *Service
	Stages    []officerStage
	Uploads   []Upload
	DocNames  map[string]string
	Bills     []officerBill
	Events    []Event
	Form      formState
	FormStage string // the stage (or "bill:NUMBER") whose form Form belongs to
	Empty     formState
	Loc       *time.Location
	UnitNames map[string]string
	Document  string
}

func (m *Module) pageOfficerFile(w http.ResponseWriter, r *http.Request) {
	m.renderOfficerFile(w, r, http.StatusOK, r.PathValue("number"), newFormState(), "")
}

func (m *Module) renderOfficerFile(w http.ResponseWriter, r *http.Request, status int, number string, f formState, formStage string) {
	ctx := r.Context()
	a, err := m.appByNumber(ctx, m.d.DB, number)
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	rows, err := m.stages(ctx, m.d.DB, a.ID)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	// Files outside the officer's units do not exist for them.
	if ok, err := m.staffCanSee(ctx, web.PrincipalOf(r), rows); err != nil || !ok {
		m.d.Shell.NotFound(w, r)
		return
	}
	v, err := m.officerFile(r, a, rows)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	v.Form, v.FormStage, v.Empty = f, formStage, newFormState()
	m.d.Shell.Render.Page(w, r, status, "services/officer_file.html", m.d.Shell.Render.View(r, v.Service.Name+" — "+a.Number, v))
}

func (m *Module) officerFile(r *http.Request, a *Application, rows []StageRow) (*officerFileView, error) {
	ctx := r.Context()
	tree, err := m.d.Units.Tree(ctx)
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
	bills, err := m.billsOf(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	evs, err := m.events(ctx, m.d.DB, a.ID)
	if err != nil {
		return nil, err
	}
	v := &officerFileView{App: a, Service: svc, Events: evs, Loc: m.d.Location, UnitNames: m.unitNames(r), DocNames: map[string]string{}}
	for _, d := range svc.Documents {
		v.DocNames[d.Type] = d.Name
		if u, ok := ups[d.Type]; ok {
			v.Uploads = append(v.Uploads, u)
		}
	}
	if a.Status == StatusCompleted {
		v.Document = "S-" + a.Number
	}
	now := m.d.Clock.Now()
	for _, s := range rows {
		def, _, _ := svc.stage(s.Code)
		ost := officerStage{StageRow: s, Def: def, Overdue: s.Status == StageActive && now.After(s.DueAt)}
		if s.Status == StageActive && a.Status == StatusInProgress {
			if !def.Payment && web.Authorize(r, "services.handle", s.UnitCode, tree) {
				ost.Actions = def.Actions
			}
			if web.Authorize(r, "services.supervise", s.UnitCode, tree) {
				ost.CanAssign = true
				if ost.Officers, err = m.unitStaff(ctx, s.UnitCode); err != nil {
					return nil, err
				}
			}
		}
		if s.AssigneeID != 0 {
			_ = m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(username, '') FROM users WHERE id = $1`, s.AssigneeID).Scan(&ost.Assignee)
		}
		v.Stages = append(v.Stages, ost)
	}
	for _, b := range bills {
		ob := officerBill{Bill: b}
		if b.Status == "unpaid" && !a.Closed() {
			ob.CanPay = m.authorizeBill(r, b.Number) == nil
		}
		v.Bills = append(v.Bills, ob)
	}
	return v, nil
}

// unitStaff lists the active staff of a unit, whom a stage may be
// reassigned to.
func (m *Module) unitStaff(ctx context.Context, unit string) ([]staffOption, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT username, name FROM users WHERE kind = 'staff' AND unit_code = $1 AND disabled = FALSE
		ORDER BY username LIMIT 200`, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staffOption
	for rows.Next() {
		var o staffOption
		if err := rows.Scan(&o.Username, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (m *Module) backToFile(w http.ResponseWriter, r *http.Request, number string) {
	http.Redirect(w, r, "/layanan/petugas/"+number, http.StatusSeeOther)
}

// pageAct applies one stage action posted from the file page.
func (m *Module) pageAct(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number, stage := r.PathValue("number"), r.PathValue("stage")
	a, err := m.appByNumber(ctx, m.d.DB, number)
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	svc, err := m.service(ctx, m.d.DB, a.ServiceCode)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	def, _, ok := svc.stage(stage)
	if !ok {
		m.d.Shell.NotFound(w, r)
		return
	}
	f := newFormState()
	data := map[string]string{}
	for _, fd := range def.Records {
		data[fd.Code] = r.PostFormValue(fd.Code)
		f.Values[fd.Code] = data[fd.Code]
	}
	action := r.PostFormValue("action")
	f.Values["note"], f.Values["action"] = r.PostFormValue("note"), action
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = m.Act(ctx, web.PrincipalOf(r), web.ClientIP(r), number, stage, ActInput{Action: action, Note: f.Values["note"], Data: data, Version: version})
	if err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderOfficerFile(w, r, status, number, f, stage)
		return
	}
	m.backToFile(w, r, number)
}

// pageAssign gives a stage to another officer of its unit (supervisors).
func (m *Module) pageAssign(w http.ResponseWriter, r *http.Request) {
	number, stage := r.PathValue("number"), r.PathValue("stage")
	f := newFormState()
	f.Values["username"] = r.PostFormValue("username")
	if err := m.Assign(r.Context(), web.PrincipalOf(r), web.ClientIP(r), number, stage, f.Values["username"]); err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderOfficerFile(w, r, status, number, f, "assign:"+stage)
		return
	}
	m.backToFile(w, r, number)
}

// pagePay records a payment an officer received for one of the file's
// bills.
func (m *Module) pagePay(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	a, err := m.appByNumber(ctx, m.d.DB, number)
	if err != nil {
		m.pageFail(w, r, err)
		return
	}
	f := newFormState()
	bill := r.PostFormValue("bill_number")
	f.Values["amount"], f.Values["reference"] = r.PostFormValue("amount"), strings.TrimSpace(r.PostFormValue("reference"))
	err = m.payFromPage(r, a, bill, f.Values["amount"], f.Values["reference"])
	if err != nil {
		status, ok := f.absorb(err)
		if !ok {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		m.renderOfficerFile(w, r, status, number, f, "bill:"+bill)
		return
	}
	m.backToFile(w, r, number)
}

func (m *Module) payFromPage(r *http.Request, a *Application, bill, amountText, reference string) error {
	bills, err := m.billsOf(r.Context(), m.d.DB, a.ID)
	if err != nil {
		return err
	}
	found := false
	for _, b := range bills {
		found = found || b.Number == bill
	}
	if !found {
		return errNotFound()
	}
	if err := m.authorizeBill(r, bill); err != nil {
		return err
	}
	fields := map[string]string{}
	amount, err := strconv.ParseInt(strings.TrimSpace(amountText), 10, 64)
	if err != nil || amount <= 0 {
		fields["amount"] = "services.err_number"
	}
	if reference == "" || len(reference) > 100 {
		fields["reference"] = "services.err_required"
	}
	if len(fields) > 0 {
		return errInvalid("services.err_check_fields", fields)
	}
	_, err = m.Pay(r.Context(), auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)), bill, amount, reference)
	return err
}
