package identity

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// form is what a page with a form needs besides its own data: the values
// to show again (never passwords or codes) and the translated messages,
// per field and for the whole form.
type form struct {
	Values map[string]string
	Errors map[string]string
	Alert  string // an error about the whole form (role="alert")
	Notice string // a confirmation (role="status")
}

func newForm(values map[string]string) *form {
	if values == nil {
		values = map[string]string{}
	}
	return &form{Values: values, Errors: map[string]string{}}
}

// HasErrors is true when a field is marked or an alert is set.
func (f *form) HasErrors() bool { return len(f.Errors) > 0 || f.Alert != "" }

// fieldErrors translates the service's field errors onto the form and
// reports whether there were any.
func (m *Module) fieldErrors(r *http.Request, f *form, err error) bool {
	fes := auth.FieldErrorsOf(err)
	for _, fe := range fes {
		if _, dup := f.Errors[fe.Field]; !dup {
			f.Errors[fe.Field] = m.d.Shell.T(r, fe.Code)
		}
	}
	if len(fes) > 0 {
		f.Alert = m.d.Shell.T(r, "form.check_fields")
	}
	return len(fes) > 0
}

// client describes the request for sessions and the audit log.
func client(r *http.Request) auth.ClientInfo {
	return auth.ClientInfo{IP: web.ClientIP(r), UserAgent: r.UserAgent()}
}

// sessionToken is the browser's current session cookie, if any.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// page renders one of this module's templates with a translated title.
func (m *Module) page(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) {
	v := m.d.Shell.Render.View(r, m.d.Shell.T(r, titleKey), data)
	m.d.Shell.Render.Page(w, r, status, "identity/"+name, v)
}

// retryAfter sets the Retry-After header (seconds).
func retryAfter(w http.ResponseWriter, seconds int) {
	w.Header().Set("Retry-After", strconv.Itoa(max(seconds, 1)))
}

// limited applies a per-account limit; on refusal it sets Retry-After and
// returns the alert to show.
func (m *Module) limited(w http.ResponseWriter, r *http.Request, l *web.Limit, key string) (string, bool) {
	if key == "" {
		return "", false
	}
	if ok, wait := l.AllowKey(key); !ok {
		retryAfter(w, wait)
		return m.d.Shell.T(r, "error.rate_limited"), true
	}
	return "", false
}

// serverError logs and renders the 500 page.
func (m *Module) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, auth.ErrForbidden) {
		m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.d.Shell.T(r, "error.forbidden"))
		return
	}
	m.d.Shell.ServerError(w, r, err)
}
