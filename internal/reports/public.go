package reports

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// listFilter narrows the public list and the queue.
type listFilter struct {
	Category  string
	Kelurahan string
	Status    string // "", "open", "closed" or a Status
	Before    int64  // keyset cursor: ids below this
	Limit     int
}

// ListItem is a report in a list or on a map.
type ListItem struct {
	ID            int64     `json:"id"`
	Category      string    `json:"category"`
	CategoryName  string    `json:"category_name"`
	Status        Status    `json:"status"`
	StatusLabel   string    `json:"status_label"`
	Kelurahan     string    `json:"kelurahan"`
	KelurahanName string    `json:"kelurahan_name"`
	Summary       string    `json:"summary"`
	Lat           *float64  `json:"lat,omitempty"`
	Lon           *float64  `json:"lon,omitempty"`
	Supporters    int       `json:"supporters"`
	CreatedAt     time.Time `json:"created_at"`
	URL           string    `json:"url"`
	// Console-only fields.
	Code     string    `json:"-"`
	Unit     string    `json:"-"`
	DueAt    time.Time `json:"-"`
	Overdue  bool      `json:"-"`
	Level    int       `json:"-"`
	Assignee string    `json:"-"`
	Privacy  Privacy   `json:"-"`
}

func parseListFilter(r *http.Request) (listFilter, string) {
	q := r.URL.Query()
	f := listFilter{Category: strings.TrimSpace(q.Get("kategori")), Kelurahan: strings.TrimSpace(q.Get("kelurahan")),
		Status: strings.TrimSpace(q.Get("status")), Limit: 50}
	if f.Status != "" && f.Status != "open" && f.Status != "closed" && !validStatus(f.Status) {
		return f, "status"
	}
	// Codes are compared in SQL: text PostgreSQL cannot hold is a bad
	// parameter, not a server error.
	if !textOK(f.Category) {
		return f, "kategori"
	}
	if !textOK(f.Kelurahan) {
		return f, "kelurahan"
	}
	if c := q.Get("sebelum"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n <= 0 {
			return f, "sebelum"
		}
		f.Before = n
	}
	return f, ""
}

// where adds the filter's conditions to a query being built; conds
// holds the scope already (the listed flag, or the units of the queue).
//
// Open reports are a small part of a city's history, and a planner that
// only knows average selectivities does not see it. So a filter on open
// reports (all, or one open status) first collects the scope's open ids
// through the (…, status, id) index, and the other filters apply to those;
// otherwise a category filter would scan years of closed reports of the
// category in id order to find the few open ones.
func (f listFilter) where(conds []string, args []any) ([]string, []any) {
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	switch st := Status(f.Status); {
	case f.Status == "":
	case f.Status == "closed":
		conds = append(conds, "is_open = FALSE")
	case f.Status == "open" || st.Open():
		scope := append([]string{}, conds...)
		var ph []string
		for _, s := range Statuses {
			if s.Open() && (f.Status == "open" || s == st) {
				args = append(args, string(s))
				ph = append(ph, "$"+strconv.Itoa(len(args)))
			}
		}
		scope = append(scope, "status IN ("+strings.Join(ph, ", ")+")", "is_open = TRUE")
		conds = append(conds, "id IN (SELECT id FROM reports WHERE "+strings.Join(scope, " AND ")+")")
	default:
		add("status = ?", f.Status)
		conds = append(conds, "is_open = FALSE")
	}
	if f.Category != "" {
		add("category_code = ?", f.Category)
	}
	if f.Kelurahan != "" {
		add("kelurahan_code = ?", f.Kelurahan)
	}
	if f.Before > 0 {
		add("id < ?", f.Before)
	}
	return conds, args
}

const listColumns = `id, tracking_code, category_code, status, kelurahan_code, lat, lon, supporters, created_at,
	substr(description, 1, 160), unit_code, due_at, escalation_level, assignee_name, privacy`

func scanListItem(rows interface{ Scan(...any) error }) (ListItem, error) {
	var it ListItem
	var status, privacy string
	var lat, lon *float64
	err := rows.Scan(&it.ID, &it.Code, &it.Category, &status, &it.Kelurahan, &lat, &lon, &it.Supporters, database.T(&it.CreatedAt),
		&it.Summary, &it.Unit, database.T(&it.DueAt), &it.Level, &it.Assignee, &privacy)
	it.Status, it.Lat, it.Lon, it.Privacy = Status(status), lat, lon, Privacy(privacy)
	it.URL = "/laporan/" + strconv.FormatInt(it.ID, 10)
	return it, err
}

// listReports runs a list query: conds/args select, newest first, one
// page plus one row to know whether there is a next page.
func listReports(ctx context.Context, q database.Querier, conds []string, args []any, limit int) ([]ListItem, int64, error) {
	query := `SELECT ` + listColumns + ` FROM reports WHERE ` + strings.Join(conds, " AND ") +
		` ORDER BY id DESC LIMIT ` + strconv.Itoa(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ListItem
	for rows.Next() {
		it, err := scanListItem(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// publicList lists listed reports (never confidential or merged ones).
func (m *Module) publicList(ctx context.Context, r *http.Request, f listFilter) ([]ListItem, int64, error) {
	conds, args := f.where([]string{"listed = TRUE"}, nil)
	items, next, err := listReports(ctx, m.d.DB, conds, args, f.Limit)
	if err != nil {
		return nil, 0, err
	}
	m.decorate(ctx, r, items)
	return items, next, nil
}

// decorate fills in the names of a list's codes in the request's
// language.
func (m *Module) decorate(ctx context.Context, r *http.Request, items []ListItem) {
	_, cats, _ := m.cats.all(ctx)
	loc := web.LocaleOf(r)
	for i := range items {
		items[i].CategoryName = cats[items[i].Category].Name(loc)
		if items[i].CategoryName == "" {
			items[i].CategoryName = items[i].Category
		}
		items[i].StatusLabel = m.d.Shell.T(r, "reports.status_"+string(items[i].Status))
		items[i].KelurahanName = m.kelurahanName(items[i].Kelurahan)
		items[i].Overdue = items[i].Status.Open() && !items[i].DueAt.IsZero() && m.now().After(items[i].DueAt)
	}
}

// apiPublicList is GET /api/v1/reports: listed reports, newest first.
func (m *Module) apiPublicList(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	f, bad := parseListFilter(r)
	if bad != "" {
		sh.WriteAPIError(w, r, sh.BadParam(r, bad))
		return
	}
	items, next, err := m.publicList(r.Context(), r, f)
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	if items == nil {
		items = []ListItem{}
	}
	out := map[string]any{"items": items}
	if next > 0 {
		out["next_cursor"] = strconv.FormatInt(next, 10)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// listPage is the data of the public list and the queue.
type listPage struct {
	base
	Items      []ListItem
	Filter     listFilter
	Next       string
	Categories []Category
	Kecamatan  []kecamatanOption
	Points     template.HTMLAttr
	Overdue    bool
	View       string
	Units      []unitOption
	Unit       string
	Statuses   []Status
}

type unitOption struct{ Code, Name string }

// mapPoints encodes the items with a location for the map script.
func mapPoints(items []ListItem, link func(ListItem) string) template.HTMLAttr {
	type pt struct {
		Lat   float64 `json:"lat"`
		Lon   float64 `json:"lon"`
		Label string  `json:"label"`
		URL   string  `json:"url"`
		Late  bool    `json:"late,omitempty"`
	}
	var pts []pt
	for _, it := range items {
		if it.Lat != nil && it.Lon != nil {
			pts = append(pts, pt{*it.Lat, *it.Lon, it.CategoryName + " · " + it.KelurahanName, link(it), it.Overdue})
		}
	}
	b, _ := json.Marshal(pts)
	return template.HTMLAttr(`data-points="` + template.HTMLEscapeString(string(b)) + `"`)
}

// publicListPage is GET /laporan: the public map and list.
func (m *Module) publicListPage(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	f, bad := parseListFilter(r)
	if bad != "" {
		sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "error.bad_param", bad))
		return
	}
	items, next, err := m.publicList(r.Context(), r, f)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	cats, _ := m.cats.active(r.Context())
	lp := listPage{Items: items, Filter: f, Categories: cats, Statuses: Statuses, Kecamatan: m.newFormView(r, Category{}).Kecamatan,
		Points: mapPoints(items, func(it ListItem) string { return it.URL })}
	if next > 0 {
		lp.Next = nextURL(r, next)
	}
	m.render(w, r, http.StatusOK, "public_list.html", sh.T(r, "reports.public_title"), &lp)
}

// nextURL is the current URL with the cursor moved on.
func nextURL(r *http.Request, next int64) string {
	q := r.URL.Query()
	q.Set("sebelum", strconv.FormatInt(next, 10))
	return r.URL.Path + "?" + q.Encode()
}

// publicDetailView is the data of /laporan/{id}.
type publicDetailView struct {
	base
	View      *PublicView
	Supported bool
	Error     string
}

// publicDetailPage is GET /laporan/{id}: a listed report for everyone.
// Confidential reports do not exist here; a merged one leads to the
// report it was merged into.
func (m *Module) publicDetailPage(w http.ResponseWriter, r *http.Request) {
	m.renderPublicDetail(w, r, http.StatusOK, "")
}

func (m *Module) renderPublicDetail(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	ctx := r.Context()
	sh := m.d.Shell
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		sh.NotFound(w, r)
		return
	}
	rep, err := reportByID(ctx, m.d.DB, id)
	if errors.Is(err, ErrNotFound) || (err == nil && rep.Privacy == PrivacyConfidential) {
		sh.NotFound(w, r)
		return
	}
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	if !rep.Listed && rep.MergedInto != 0 {
		http.Redirect(w, r, "/laporan/"+strconv.FormatInt(rep.MergedInto, 10), http.StatusSeeOther)
		return
	}
	pv, err := m.publicView(ctx, r, rep, false)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.render(w, r, status, "public_detail.html", pv.CategoryName+" · "+pv.KelurahanName,
		&publicDetailView{View: pv, Supported: r.URL.Query().Get("dukung") != "", Error: errMsg})
}

// supportForm is POST /laporan/{id}/dukung: "saya juga mengalami ini"
// without JavaScript.
func (m *Module) supportForm(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		sh.NotFound(w, r)
		return
	}
	_, _, err = m.support(r.Context(), r, id, r.PostFormValue("telepon"))
	var ie *InputError
	switch {
	case errors.Is(err, ErrNotFound):
		sh.NotFound(w, r)
	case errors.Is(err, errNotSupportable):
		m.renderPublicDetail(w, r, http.StatusConflict, sh.T(r, "reports.err_not_supportable"))
	case errors.As(err, &ie):
		m.renderPublicDetail(w, r, http.StatusUnprocessableEntity, sh.T(r, "reports.err_phone"))
	case err != nil:
		sh.ServerError(w, r, err)
	default:
		http.Redirect(w, r, "/laporan/"+strconv.FormatInt(id, 10)+"?dukung=1", http.StatusSeeOther)
	}
}
