package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// userForm is what the create and edit forms post; on a refused form it
// is shown again as typed.
type userForm struct {
	Username, Name, Email, UnitCode string
	Roles                           []string
	Disabled                        bool
}

// userView is the read-only part of the account page.
type userView struct {
	ID          int64
	Kind        auth.Kind
	Username    string
	Phone       string // masked
	NIKMasked   string
	Unit        string
	Roles       []string
	TOTP        bool
	Disabled    bool
	LockedUntil time.Time
	CreatedAt   time.Time
	LastLoginAt time.Time
}

type userPage struct {
	base
	New  bool
	User userView
	Form userForm
	// Editable is false for citizen accounts: they manage their own
	// profile, an administrator only looks.
	Editable bool
	Locked   bool
	Units    []option
	Roles    []option
}

// userFields are the form fields the service's field errors may name.
var userFields = []string{"username", "name", "email", "unit_code", "roles", "password", "password_confirm", "disabled"}

func (m *Module) newUser(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	m.userForm(w, r, http.StatusOK, userPage{base: m.base(r, "users"), New: true, Editable: true,
		Form: userForm{UnitCode: p.UnitCode}})
}

// createUser makes a staff account and goes to its page. The password is
// typed twice so that a typo does not lock the new colleague out.
func (m *Module) createUser(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	data := userPage{base: m.base(r, "users"), New: true, Editable: true, Form: readUserForm(r)}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password_confirm") {
		data.Errors.add("password_confirm", m.d.Shell.T(r, "admin.users.password_mismatch"))
		m.userForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	u, err := m.d.Auth.CreateStaff(r.Context(), web.PrincipalOf(r), auth.NewStaff{Username: data.Form.Username,
		Name: data.Form.Name, Email: data.Form.Email, UnitCode: data.Form.UnitCode, Password: password, Roles: data.Form.Roles})
	if m.fieldErrors(r, err, data.Errors, userFields, &data.Problem) {
		m.userForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, userPath(u.ID), "user_created")
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

func readUserForm(r *http.Request) userForm {
	return userForm{Username: strings.TrimSpace(r.PostFormValue("username")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), UnitCode: r.PostFormValue("unit_code"),
		Roles: formValues(r, "roles"), Disabled: r.PostFormValue("disabled") == "on"}
}

// showUser is an account's page: its details, the edit form, and the
// password reset and unlock actions.
func (m *Module) showUser(w http.ResponseWriter, r *http.Request) {
	data, ok := m.loadUserPage(w, r)
	if !ok {
		return
	}
	m.userForm(w, r, http.StatusOK, data)
}

// loadUserPage reads the account named in the path with the principal's
// rights: a malformed or unknown id is 404, an account outside the
// principal's units 403.
func (m *Module) loadUserPage(w http.ResponseWriter, r *http.Request) (userPage, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		m.d.Shell.NotFound(w, r)
		return userPage{}, false
	}
	u, err := m.d.Auth.GetUser(r.Context(), web.PrincipalOf(r), id)
	if err != nil {
		m.serviceError(w, r, err)
		return userPage{}, false
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return userPage{}, false
	}
	data := userPage{base: m.base(r, "users"), User: viewOf(u, tree), Editable: u.Kind == auth.Staff,
		Locked: u.LockedUntil.After(m.d.Clock.Now()),
		Form:   userForm{Username: u.Username, Name: u.Name, Email: u.Email, UnitCode: u.UnitCode, Roles: u.Roles, Disabled: u.Disabled}}
	return data, true
}

func viewOf(u auth.User, tree *units.Tree) userView {
	v := userView{ID: u.ID, Kind: u.Kind, Username: u.Username, NIKMasked: u.NIKMasked, Unit: unitLabel(tree, u.UnitCode),
		Roles: u.Roles, TOTP: u.TOTPEnabled, Disabled: u.Disabled, LockedUntil: u.LockedUntil, CreatedAt: u.CreatedAt,
		LastLoginAt: u.LastLoginAt}
	if u.Phone != "" {
		v.Phone = idnum.MaskPhone(u.Phone)
	}
	return v
}

// updateUser saves the edit form of a staff account.
func (m *Module) updateUser(w http.ResponseWriter, r *http.Request) {
	data, ok := m.loadUserPage(w, r)
	if !ok {
		return
	}
	if !data.Editable {
		m.forbidden(w, r)
		return
	}
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	in := readUserForm(r)
	in.Username = data.Form.Username // not editable: sign-in names stay stable
	data.Form = in
	err := m.d.Auth.UpdateStaff(r.Context(), web.PrincipalOf(r), data.User.ID, auth.StaffUpdate{Name: in.Name, Email: in.Email,
		UnitCode: in.UnitCode, Roles: in.Roles, Disabled: in.Disabled})
	if m.fieldErrors(r, err, data.Errors, userFields, &data.Problem) {
		m.userForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, userPath(data.User.ID), "user_saved")
}

// resetPassword sets a new password chosen by the administrator, who
// passes it on to the colleague; the service ends the account's sessions.
func (m *Module) resetPassword(w http.ResponseWriter, r *http.Request) {
	data, ok := m.loadUserPage(w, r)
	if !ok {
		return
	}
	if !data.Editable {
		m.forbidden(w, r)
		return
	}
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password_confirm") {
		data.Errors.add("password_confirm", m.d.Shell.T(r, "admin.users.password_mismatch"))
		m.userForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	err := m.d.Auth.ResetPassword(r.Context(), web.PrincipalOf(r), data.User.ID, password)
	if m.fieldErrors(r, err, data.Errors, []string{"password"}, &data.Problem) {
		m.userForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, userPath(data.User.ID), "password_reset")
}

// unlockUser lifts a sign-in lock-out before it runs out by itself.
func (m *Module) unlockUser(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		m.d.Shell.NotFound(w, r)
		return
	}
	if err := m.d.Auth.Unlock(r.Context(), web.PrincipalOf(r), id); err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, userPath(id), "user_unlocked")
}

// userForm renders the create form or an account's page with the unit
// and role choices the principal may give.
func (m *Module) userForm(w http.ResponseWriter, r *http.Request, status int, data userPage) {
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
	data.Units = unitOptions(tree, p, permUsers, data.Form.UnitCode)
	for _, role := range roles {
		if !grantable(p, role.Code) {
			continue
		}
		data.Roles = append(data.Roles, option{Value: role.Code, Label: role.Name, Selected: slices.Contains(data.Form.Roles, role.Code)})
	}
	if data.New {
		m.render(w, r, status, "user_edit.html", "admin.users.new_title", data)
		return
	}
	title := data.User.Username
	if title == "" {
		title = data.User.Phone
	}
	m.render(w, r, status, "user_edit.html", "admin.users.edit_title", data, title)
}

// grantable mirrors the service's rule so that the form offers only what
// it will accept: nobody gives the citizen role to staff, and only a
// city-wide roles.manage holder makes administrators.
func grantable(p *auth.Principal, role string) bool {
	switch role {
	case "citizen":
		return false
	case "admin":
		return p.CityWide(permRoles)
	}
	return true
}
