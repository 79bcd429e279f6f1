package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// usersPerPage bounds one page of the user list.
const usersPerPage = 50

type userRow struct {
	ID int64
	// Login is the username of staff and the masked phone of citizens:
	// the list never shows a full identifier.
	Login     string
	Name      string
	Kind      auth.Kind
	Unit      string
	Roles     []string
	NIKMasked string
	Disabled  bool
	Locked    bool
	TOTP      bool
	LastLogin time.Time
}

type usersPage struct {
	base
	Query, Unit, Role, Kind string
	// Searched is set on the result of an identifier search, which has no
	// filters to keep and no further pages.
	Searched bool
	Units    []option
	Roles    []option
	Kinds    []option
	Users    []userRow
	// Next links the following page ("" on the last).
	Next string
}

// listUsers shows the accounts the principal may manage, filtered by a
// search term, unit, role and kind, a page at a time (keyset on the id).
// The service limits a unit administrator to their subtree; the unit
// filter offers only those units.
func (m *Module) listUsers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	q := r.URL.Query()
	data := usersPage{base: m.base(r, "users"), Query: strings.TrimSpace(q.Get("q")), Unit: q.Get("unit"),
		Role: q.Get("role"), Kind: q.Get("kind")}
	if looksLikeIdentifier(data.Query) {
		// Not searched and not shown again: the term is already in this
		// URL, it must not spread to the next one.
		data.Query = ""
		data.Errors.add("q", m.d.Shell.T(r, "admin.users.identifier_in_url"))
		m.renderUsers(w, r, http.StatusUnprocessableEntity, data, nil)
		return
	}
	f := auth.UserFilter{Query: data.Query, UnitCode: data.Unit, Role: data.Role, Limit: usersPerPage + 1}
	switch auth.Kind(data.Kind) {
	case auth.Staff, auth.Citizen:
		f.Kind = auth.Kind(data.Kind)
	default:
		data.Kind = ""
	}
	if after := q.Get("after"); after != "" {
		id, err := strconv.ParseInt(after, 10, 64)
		if err != nil || id < 0 {
			m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "after"))
			return
		}
		f.AfterID = id
	}
	list, err := m.d.Auth.ListUsers(ctx, p, f)
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	if len(list) > usersPerPage {
		list = list[:usersPerPage]
		data.Next = pageURL("/admin/users", map[string]string{"q": data.Query, "unit": data.Unit, "role": data.Role, "kind": data.Kind},
			"after", list[len(list)-1].ID)
	}
	m.renderUsers(w, r, http.StatusOK, data, list)
}

// renderUsers shows the list page with the filter choices the principal
// may use: a unit administrator's unit filter offers only their units.
func (m *Module) renderUsers(w http.ResponseWriter, r *http.Request, status int, data usersPage, list []auth.User) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	roles, err := m.d.Auth.ListRoles(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	now := m.d.Clock.Now()
	for _, u := range list {
		data.Users = append(data.Users, rowOf(u, tree, now))
	}
	data.Units = unitOptions(tree, p, permUsers, data.Unit)
	for _, role := range roles {
		data.Roles = append(data.Roles, option{Value: role.Code, Label: role.Name, Selected: role.Code == data.Role})
	}
	// Only a city-wide holder sees citizens; a unit administrator's list
	// is staff by definition, so the choice would only mislead.
	if p.CityWide(permUsers) {
		for _, k := range []auth.Kind{auth.Staff, auth.Citizen} {
			data.Kinds = append(data.Kinds, option{Value: string(k), Label: m.d.Shell.T(r, "admin.kind."+string(k)),
				Selected: string(k) == data.Kind})
		}
	}
	m.render(w, r, status, "users_list.html", "admin.users.title", data)
}

func rowOf(u auth.User, tree *units.Tree, now time.Time) userRow {
	row := userRow{ID: u.ID, Login: u.Username, Name: u.Name, Kind: u.Kind, Roles: u.Roles, NIKMasked: u.NIKMasked,
		Disabled: u.Disabled, Locked: u.LockedUntil.After(now), TOTP: u.TOTPEnabled, LastLogin: u.LastLoginAt}
	if u.Kind == auth.Citizen || row.Login == "" {
		row.Login = idnum.MaskPhone(u.Phone)
	}
	row.Unit = unitLabel(tree, u.UnitCode)
	return row
}

func unitLabel(tree *units.Tree, code string) string {
	if code == "" {
		return ""
	}
	if u, ok := tree.Get(code); ok {
		return u.DisplayName()
	}
	return code
}

// unitOptions lists, in organisation-chart order, the units on which the
// principal holds permission, for a filter or an assignment select.
func unitOptions(tree *units.Tree, p *auth.Principal, permission, selected string) []option {
	var out []option
	for _, u := range tree.All() {
		if !p.Can(permission, u.Code, tree) {
			continue
		}
		out = append(out, option{Value: u.Code, Label: indent(tree.Depth(u.Code)) + u.DisplayName(), Selected: u.Code == selected})
	}
	return out
}

// searchByIdentifier finds accounts by a full NIK or mobile number. It is
// a POST so that the identifier travels in the body: a URL with a NIK in
// it would end up in browser history, bookmarks and proxy logs. A NIK or
// number matches exactly (through the blind index), so the result fits
// on one page.
func (m *Module) searchByIdentifier(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	ctx := r.Context()
	p := web.PrincipalOf(r)
	data := usersPage{base: m.base(r, "users"), Searched: true}
	ident := strings.TrimSpace(r.PostFormValue("identifier"))
	if !looksLikeIdentifier(ident) {
		data.Errors.add("identifier", m.d.Shell.T(r, "admin.users.identifier_invalid"))
		m.renderUsers(w, r, http.StatusUnprocessableEntity, data, nil)
		return
	}
	list, err := m.d.Auth.ListUsers(ctx, p, auth.UserFilter{Query: ident, Limit: usersPerPage})
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	m.renderUsers(w, r, http.StatusOK, data, list)
}

// looksLikeIdentifier reports whether a search term is a number (NIK,
// phone) rather than a name: such terms belong in the POST search.
func looksLikeIdentifier(q string) bool {
	digits := 0
	for _, c := range q {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-' || c == '.' || c == '+':
		default:
			return false
		}
	}
	return digits >= 8
}

// indent shows a unit's depth in a select, where markup cannot: no-break
// spaces survive in option labels, ordinary ones collapse.
func indent(depth int) string { return strings.Repeat("\u00a0\u00a0", depth) }
