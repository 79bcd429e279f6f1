package services

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// The administrators' catalog pages (permission services.manage): the
// list of services, the edit page of one service and the retribution
// indices (manage_indices.go). They validate with Service.Validate and
// retribution.Indices.Validate and store through saveServiceAudited and
// saveIndices, exactly as PUT /api/v1/services/{code} and
// PUT /api/v1/pbg/retribution/indices do.

// catalogEntry is a stored service with its catalog flags.
type catalogEntry struct {
	Service   Service
	Active    bool
	Edited    bool // saved by an administrator (seeding no longer touches it)
	UpdatedAt time.Time
}

// catalogEntries lists every stored service, retired ones included,
// letters first, then by name; with code, only that service.
func (m *Module) catalogEntries(ctx context.Context, code string) ([]catalogEntry, error) {
	query := `SELECT definition, active, edited, updated_at FROM svc_services`
	var args []any
	if code != "" {
		query += ` WHERE code = $1`
		args = append(args, code)
	}
	rows, err := m.d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalogEntry
	for rows.Next() {
		var def string
		var e catalogEntry
		if err := rows.Scan(&def, &e.Active, &e.Edited, database.T(&e.UpdatedAt)); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(def), &e.Service); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Service.Category != out[j].Service.Category {
			return out[i].Service.Category > out[j].Service.Category // "surat" before "perizinan"
		}
		return out[i].Service.Name < out[j].Service.Name
	})
	return out, rows.Err()
}

// manageFlashes are the success messages a redirect may name (?ok=);
// a crafted value shows nothing.
var manageFlashes = map[string]string{"saved": "services.manage_saved", "indices_saved": "services.manage_indices_saved"}

func (m *Module) manageFlash(r *http.Request) string {
	if key, ok := manageFlashes[r.URL.Query().Get("ok")]; ok {
		return m.d.Shell.T(r, key)
	}
	return ""
}

type manageListView struct {
	Entries []catalogEntry
	Loc     *time.Location
	Flash   string
}

func (m *Module) pageManageList(w http.ResponseWriter, r *http.Request) {
	list, err := m.catalogEntries(r.Context(), "")
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	v := manageListView{Entries: list, Loc: m.d.Location, Flash: m.manageFlash(r)}
	m.d.Shell.Render.Page(w, r, http.StatusOK, "services/manage_list.html", m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.manage_title"), v))
}

// problemLine is a translated definition problem for the page.
type problemLine struct{ Path, Message string }

type manageServiceView struct {
	Entry    catalogEntry
	Form     formState
	Problems []problemLine // refusals of the JSON text, with their paths
	Flash    string
	Loc      *time.Location
}

// serviceFormFields are the inputs of the edit page besides the JSON text.
var serviceFormFields = []string{"name", "description", "eligibility", "fee"}

func (m *Module) manageEntry(w http.ResponseWriter, r *http.Request) (catalogEntry, bool) {
	list, err := m.catalogEntries(r.Context(), r.PathValue("code"))
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return catalogEntry{}, false
	}
	if len(list) == 0 {
		m.d.Shell.NotFound(w, r)
		return catalogEntry{}, false
	}
	return list[0], true
}

func (m *Module) pageManageService(w http.ResponseWriter, r *http.Request) {
	e, ok := m.manageEntry(w, r)
	if !ok {
		return
	}
	f := newFormState()
	s := e.Service
	f.Values["name"], f.Values["description"], f.Values["eligibility"] = s.Name, s.Description, s.Eligibility
	f.Values["fee"] = strconv.FormatInt(s.Fee, 10)
	if e.Active {
		f.Values["active"] = "1"
	}
	f.Values["definition"] = prettyDefinition(s)
	m.renderManageService(w, r, http.StatusOK, manageServiceView{Entry: e, Form: f, Flash: m.manageFlash(r)})
}

func (m *Module) renderManageService(w http.ResponseWriter, r *http.Request, status int, v manageServiceView) {
	v.Loc = m.d.Location
	title := m.d.Shell.T(r, "services.manage_edit_title", v.Entry.Service.Name)
	m.d.Shell.Render.Page(w, r, status, "services/manage_service.html", m.d.Shell.Render.View(r, title, v))
}

// pageManageSave stores the edited service: the inputs override the
// JSON text's attributes, Service.Validate decides, saveServiceAudited
// stores and audits. A refusal re-renders the page with what was typed.
func (m *Module) pageManageSave(w http.ResponseWriter, r *http.Request) {
	e, ok := m.manageEntry(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2*maxDefinitionBytes)
	if err := r.ParseForm(); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusRequestEntityTooLarge, m.d.Shell.T(r, "services.manage_too_large"))
		return
	}
	f := newFormState()
	for _, k := range slices.Concat(serviceFormFields, []string{"definition"}) {
		f.Values[k] = r.PostFormValue(k)
	}
	active := r.PostFormValue("active") != ""
	if active {
		f.Values["active"] = "1"
	}
	fee, err := strconv.ParseInt(strings.TrimSpace(f.Values["fee"]), 10, 64)
	if err != nil {
		f.Errors["fee"] = "services.err_number"
	}
	s, problems, decoded := parseDefinition(f.Values["definition"])
	if decoded {
		s.Code, s.Name, s.Description, s.Eligibility = e.Service.Code, strings.TrimSpace(f.Values["name"]),
			strings.TrimSpace(f.Values["description"]), strings.TrimSpace(f.Values["eligibility"])
		s.Fee = fee
		if err := s.Validate(); err != nil {
			explained := explainDefinition(&s)
			if len(explained) == 0 {
				// The explanation lags behind the validator: show its words.
				explained = []defProblem{{Key: "services.manage_err_definition", Args: []any{err.Error()}}}
			}
			problems = append(problems, explained...)
		}
	}
	v := manageServiceView{Entry: e}
	for _, p := range problems {
		// Problems of the inputs' own attributes show next to them.
		if slices.Contains(serviceFormFields, p.Path) && p.Key != "services.manage_err_form_owned" {
			if f.Errors[p.Path] == "" {
				f.Errors[p.Path] = p.Key
			}
			continue
		}
		v.Problems = append(v.Problems, problemLine{Path: p.Path, Message: m.problemMessage(r, p)})
	}
	if len(f.Errors) > 0 || len(v.Problems) > 0 {
		f.Summary = "services.err_check_fields"
		v.Form = f
		m.renderManageService(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err := m.saveServiceAudited(r, s, active); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/layanan/kelola/"+url.PathEscape(s.Code)+"?ok=saved", http.StatusSeeOther)
}

// problemMessage translates a problem, its key arguments included.
func (m *Module) problemMessage(r *http.Request, p defProblem) string {
	args := make([]any, len(p.Args))
	for i, a := range p.Args {
		if k, ok := a.(msgKey); ok {
			a = m.d.Shell.T(r, string(k))
		}
		args[i] = a
	}
	return m.d.Shell.T(r, p.Key, args...)
}
