package admin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type keyForm struct {
	Name   string
	Scopes []string
	// Other holds scopes typed by hand (space- or comma-separated), for
	// integrations whose routes this server does not serve yet.
	Other string
}

type keysPage struct {
	base
	Keys   []auth.APIKeyInfo
	Form   keyForm
	Scopes []option
}

type keyCreatedPage struct {
	base
	Key   auth.APIKeyInfo
	Plain string
}

type keyRevokePage struct {
	base
	Key auth.APIKeyInfo
}

var keyFields = []string{"name", "scopes"}

func (m *Module) listKeys(w http.ResponseWriter, r *http.Request) {
	m.renderKeys(w, r, http.StatusOK, keysPage{base: m.base(r, "apikeys")})
}

// createKey makes a key and shows it on the answer to the POST itself,
// once: only its hash is stored, so no later page can show it again. The
// page is not cached (the shell sends no-store) and no redirect carries
// the key in a URL.
func (m *Module) createKey(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	data := keysPage{base: m.base(r, "apikeys"), Form: keyForm{Name: strings.TrimSpace(r.PostFormValue("name")),
		Scopes: formValues(r, "scopes"), Other: strings.TrimSpace(r.PostFormValue("scopes_other"))}}
	scopes := slices.Clone(data.Form.Scopes)
	for _, s := range strings.FieldsFunc(data.Form.Other, func(c rune) bool { return c == ',' || c == ' ' || c == ';' }) {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	plain, info, err := m.d.Auth.CreateAPIKey(r.Context(), web.PrincipalOf(r), data.Form.Name, scopes)
	if m.fieldErrors(r, err, data.Errors, keyFields, &data.Problem) {
		m.renderKeys(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if err != nil {
		m.serviceError(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "apikey_created.html", "admin.apikeys.created_title",
		keyCreatedPage{base: m.base(r, "apikeys"), Key: info, Plain: plain})
}

// revokeKey revokes a key once confirmed. The list's revoke button sits
// behind a disclosure that asks first; a POST without confirm=yes (a
// browser that does not support it, a stray click) gets a confirmation
// page instead of revoking.
func (m *Module) revokeKey(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		m.d.Shell.NotFound(w, r)
		return
	}
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		keys, err := m.d.Auth.ListAPIKeys(r.Context())
		if err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		i := slices.IndexFunc(keys, func(k auth.APIKeyInfo) bool { return k.ID == id })
		if i < 0 {
			m.d.Shell.NotFound(w, r)
			return
		}
		m.render(w, r, http.StatusOK, "apikey_revoke.html", "admin.apikeys.revoke_title",
			keyRevokePage{base: m.base(r, "apikeys"), Key: keys[i]}, keys[i].Name)
		return
	}
	if err := m.d.Auth.RevokeAPIKey(r.Context(), web.PrincipalOf(r), id); err != nil {
		m.serviceError(w, r, err)
		return
	}
	redirectOK(w, r, "/admin/apikeys", "key_revoked")
}

// renderKeys shows the key list and the create form. The scope choices
// are the scopes this server's routes accept (web.KeyScope), read from
// the router so a new integration's scope appears without a change here.
func (m *Module) renderKeys(w http.ResponseWriter, r *http.Request, status int, data keysPage) {
	keys, err := m.d.Auth.ListAPIKeys(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	data.Keys = keys
	var known []string
	for _, rt := range m.d.Shell.Router.Routes() {
		if s, ok := strings.CutPrefix(rt.Access.String(), "key:"); ok && !slices.Contains(known, s) {
			known = append(known, s)
		}
	}
	slices.Sort(known)
	for _, s := range known {
		data.Scopes = append(data.Scopes, option{Value: s, Label: s, Selected: slices.Contains(data.Form.Scopes, s)})
	}
	if len(data.Scopes) == 0 {
		// Without checkboxes the text box is where scopes are chosen, so
		// that is where their error belongs.
		if msg, ok := data.Errors["scopes"]; ok {
			delete(data.Errors, "scopes")
			data.Errors.add("scopes_other", msg)
		}
	}
	// A posted scope this server does not route is kept in the text box.
	for _, s := range data.Form.Scopes {
		if !slices.Contains(known, s) && !strings.Contains(" "+data.Form.Other+" ", " "+s+" ") {
			data.Form.Other = strings.TrimSpace(data.Form.Other + " " + s)
		}
	}
	m.render(w, r, status, "apikeys.html", "admin.apikeys.title", data)
}
