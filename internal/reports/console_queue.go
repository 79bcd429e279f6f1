package reports

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// scope is the set of units whose reports the principal may work on
// with a permission: every unit (city-wide grant) or a list.
type scope struct {
	all   bool
	units []string
	tree  *units.Tree
}

func (m *Module) scopeOf(r *http.Request, perm string) (scope, error) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return scope{}, err
	}
	p := web.PrincipalOf(r)
	if p.CityWide(perm) {
		return scope{all: true, tree: tree}, nil
	}
	s := scope{tree: tree}
	for _, u := range tree.All() {
		if p.Can(perm, u.Code, tree) {
			s.units = append(s.units, u.Code)
		}
	}
	return s, nil
}

// has reports whether a unit is in the scope.
func (s scope) has(unit string) bool {
	if s.all {
		return true
	}
	for _, u := range s.units {
		if u == unit {
			return true
		}
	}
	return false
}

// where restricts a query to the scope, narrowed to one unit when asked.
func (s scope) where(only string, conds []string, args []any) ([]string, []any) {
	list := s.units
	if only != "" {
		if !s.has(only) {
			return append(conds, "1 = 0"), args
		}
		list = []string{only}
	} else if s.all {
		return conds, args
	}
	if len(list) == 0 {
		return append(conds, "1 = 0"), args
	}
	var ph []string
	for _, u := range list {
		args = append(args, u)
		ph = append(ph, "$"+strconv.Itoa(len(args)))
	}
	if len(ph) == 1 {
		return append(conds, "unit_code = "+ph[0]), args
	}
	return append(conds, "unit_code IN ("+strings.Join(ph, ", ")+")"), args
}

// queueFilter is the queue's filter (the list filter plus overdue and a
// unit inside the scope).
type queueFilter struct {
	listFilter
	Overdue bool
	Unit    string
}

func parseQueueFilter(r *http.Request) (queueFilter, string) {
	f, bad := parseListFilter(r)
	q := queueFilter{listFilter: f, Overdue: r.URL.Query().Get("terlambat") != "", Unit: strings.TrimSpace(r.URL.Query().Get("unit"))}
	if !r.URL.Query().Has("status") {
		q.Status = "open"
	}
	return q, bad
}

// queue lists the reports of the scope with the filter, newest first.
func (m *Module) queue(ctx context.Context, s scope, f queueFilter) ([]ListItem, int64, error) {
	conds, args := s.where(f.Unit, nil, nil)
	conds, args = f.where(conds, args)
	if f.Overdue {
		args = append(args, database.TimeArg(m.now()))
		conds = append(conds, "is_open = TRUE", "due_at < $"+strconv.Itoa(len(args)))
	}
	if len(conds) == 0 {
		conds = []string{"1 = 1"}
	}
	return listReports(ctx, m.d.DB, conds, args, f.Limit)
}

// queuePage is GET /petugas/laporan: the unit's queue as a list or a map.
func (m *Module) queuePage(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	f, bad := parseQueueFilter(r)
	if bad != "" {
		sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "error.bad_param", bad))
		return
	}
	view := r.URL.Query().Get("tampilan")
	if view == "peta" {
		f.Limit = 500
	}
	s, err := m.scopeOf(r, PermHandle)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	items, next, err := m.queue(r.Context(), s, f)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.decorate(r.Context(), r, items)
	cats, _ := m.cats.active(r.Context())
	lp := listPage{Items: items, Filter: f.listFilter, Statuses: Statuses, Overdue: f.Overdue, View: view, Categories: cats,
		Kecamatan: m.newFormView(r, Category{}).Kecamatan, Unit: f.Unit,
		Points: mapPoints(items, func(it ListItem) string { return "/petugas/laporan/" + strconv.FormatInt(it.ID, 10) })}
	if s.all || len(s.units) > 1 {
		for _, u := range s.tree.All() {
			if u.Type != units.TypeKelurahan && s.has(u.Code) && u.Active {
				lp.Units = append(lp.Units, unitOption{u.Code, u.DisplayName()})
			}
		}
	}
	if next > 0 {
		lp.Next = nextURL(r, next)
	}
	m.render(w, r, http.StatusOK, "queue.html", sh.T(r, "reports.queue_title"), &lp)
}
