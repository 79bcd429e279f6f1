package admin

import (
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// grantRow is one permission in a role's form: its code, what it allows,
// and the scope the role holds it on ("" for not granted).
type grantRow struct {
	Permission  string
	Description string
	Scope       string
}

type roleView struct {
	Code, Name string
	Grants     []auth.Grant
	// Unknown are grants of permissions no module declares any more
	// (a module was removed); saving the role drops them.
	Unknown []string
}

type rolesPage struct {
	base
	Roles []roleView
	// Edit is the role whose form is open (?edit=code), with one row per
	// declared permission. Only one form at a time keeps the page small:
	// ten roles times every permission would be thousands of selects.
	Edit   *roleView
	Rows   []grantRow
	Scopes []string
}

var scopes = []string{string(auth.ScopeUnit), string(auth.ScopeSubtree), string(auth.ScopeCity)}

// listRoles shows every role's grants; ?edit=code opens one role's form.
func (m *Module) listRoles(w http.ResponseWriter, r *http.Request) {
	edit := r.URL.Query().Get("edit")
	m.renderRoles(w, r, http.StatusOK, m.base(r, "roles"), edit, nil)
}

// saveRole replaces a role's grants with the form's. Each declared
// permission is a select: not granted, or granted on unit, subtree or
// city scope.
func (m *Module) saveRole(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	code := r.PathValue("code")
	var grants []auth.Grant
	posted := map[string]string{}
	for _, p := range m.d.Perms.Permissions() {
		sc := r.PostFormValue("scope." + p.Code)
		posted[p.Code] = sc
		if sc != "" {
			grants = append(grants, auth.Grant{Permission: p.Code, Scope: auth.Scope(sc)})
		}
	}
	err := m.d.Auth.SetRoleGrants(r.Context(), web.PrincipalOf(r), code, grants)
	b := m.base(r, "roles")
	if m.fieldErrors(r, err, b.Errors, nil, &b.Problem) {
		m.renderRoles(w, r, http.StatusUnprocessableEntity, b, code, posted)
		return
	}
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, "/admin/roles", "role_saved")
}

// renderRoles shows the roles page; posted, when not nil, is a refused
// form's scopes to show again.
func (m *Module) renderRoles(w http.ResponseWriter, r *http.Request, status int, b base, edit string, posted map[string]string) {
	roles, err := m.d.Auth.ListRoles(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	perms := m.d.Perms.Permissions()
	data := rolesPage{base: b, Scopes: scopes}
	editing := -1
	for _, role := range roles {
		v := roleView{Code: role.Code, Name: role.Name, Grants: role.Grants}
		for _, g := range role.Grants {
			if !m.d.Perms.Known(g.Permission) {
				v.Unknown = append(v.Unknown, g.Permission)
			}
		}
		data.Roles = append(data.Roles, v)
		if role.Code != edit {
			continue
		}
		editing = len(data.Roles) - 1
		held := map[string]string{}
		for _, g := range role.Grants {
			held[g.Permission] = string(g.Scope)
		}
		if posted != nil {
			held = posted
		}
		for _, p := range perms {
			data.Rows = append(data.Rows, grantRow{Permission: p.Code, Description: m.d.Shell.T(r, p.Description), Scope: held[p.Code]})
		}
	}
	if edit != "" && editing < 0 {
		m.d.Shell.NotFound(w, r)
		return
	}
	if editing >= 0 {
		data.Edit = &data.Roles[editing]
	}
	m.render(w, r, status, "roles.html", "admin.roles.title", data)
}
