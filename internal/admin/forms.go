package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// The permissions the console's areas need. The identity module declares
// them; the console only refers to them.
const (
	permUsers = "users.manage"
	permUnits = "units.manage"
	permRoles = "roles.manage"
	permKeys  = "apikeys.manage"
	permAudit = "audit.read"
	permJobs  = "jobs.manage"
)

// area is one section of the console, listed on the overview and in the
// sub-navigation for principals holding its permission.
type area struct {
	Key        string // "users"; the message keys are admin.area.<key>[_desc]
	Href       string
	Permission string
	// CityWide areas need the permission for the whole city (see
	// Module.cityWide); the others work on the units a grant reaches.
	CityWide bool
}

var areas = []area{
	{"users", "/admin/users", permUsers, false},
	{"units", "/admin/units", permUnits, false},
	{"roles", "/admin/roles", permRoles, true},
	{"apikeys", "/admin/apikeys", permKeys, true},
	{"audit", "/admin/audit", permAudit, true},
	{"jobs", "/admin/jobs", permJobs, true},
}

func areasFor(p *auth.Principal) []area {
	var out []area
	for _, a := range areas {
		if a.CityWide && p.CityWide(a.Permission) || !a.CityWide && p.Has(a.Permission) {
			out = append(out, a)
		}
	}
	return out
}

// base is what every console page shows around its own content: the
// sub-navigation, a flash message after a redirect, and field errors.
type base struct {
	Section string
	Areas   []area
	Flash   string
	Errors  formErrors
	// Problem is a form-level error (one that belongs to no field).
	Problem string
	Loc     *time.Location
}

func (m *Module) base(r *http.Request, section string) base {
	return base{Section: section, Areas: areasFor(web.PrincipalOf(r)), Flash: m.flash(r),
		Errors: formErrors{}, Loc: m.d.Location}
}

// flashKeys are the success messages a redirect may ask for. Only these
// are shown: a crafted ?ok= cannot put arbitrary text on the page.
var flashKeys = []string{"user_created", "user_saved", "password_reset", "user_unlocked", "unit_created", "unit_saved",
	"role_saved", "key_revoked", "job_retried"}

func (m *Module) flash(r *http.Request) string {
	k := r.URL.Query().Get("ok")
	if !slices.Contains(flashKeys, k) {
		return ""
	}
	return m.d.Shell.T(r, "admin.flash."+k)
}

// redirectOK answers a successful POST with 303 to path and a flash key.
func redirectOK(w http.ResponseWriter, r *http.Request, path, key string) {
	http.Redirect(w, r, path+"?ok="+url.QueryEscape(key), http.StatusSeeOther)
}

// pageURL links a list page with its filters (empty ones left out) and
// a keyset position, for "next" and "newest" links that keep the filters.
func pageURL(path string, filters map[string]string, key string, id int64) string {
	q := url.Values{}
	for k, v := range filters {
		if v != "" {
			q.Set(k, v)
		}
	}
	if id > 0 {
		q.Set(key, strconv.FormatInt(id, 10))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// formErrors maps a form field's name to its translated message.
type formErrors map[string]string

// add keeps the first message for a field: it is the one to fix first.
func (e formErrors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// message translates a validation code coming from a service (whose
// catalog defines it) or from this module, falling back to a generic
// text so that a code nobody translated never reaches the page raw.
func (m *Module) message(r *http.Request, code string) string {
	if m.d.Shell.Catalog().Has(code) {
		return m.d.Shell.T(r, code)
	}
	return m.d.Shell.T(r, "admin.error.invalid")
}

// fieldErrors copies the service's field errors into errs, mapping a
// field the form does not show to the form-level problem. It reports
// whether err carried any.
func (m *Module) fieldErrors(r *http.Request, err error, errs formErrors, fields []string, problem *string) bool {
	list := auth.FieldErrorsOf(err)
	for _, fe := range list {
		msg := m.message(r, fe.Code)
		if slices.Contains(fields, fe.Field) {
			errs.add(fe.Field, msg)
		} else if *problem == "" {
			*problem = msg
		}
	}
	return len(list) > 0
}

// pathID reads a positive numeric path value; anything else is a 404.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// serviceError renders the page an error from a service deserves: 404,
// 403, or a logged 500.
func (m *Module) serviceError(w http.ResponseWriter, r *http.Request, err error) {
	sh := m.d.Shell
	switch {
	case errors.Is(err, auth.ErrNotFound):
		sh.NotFound(w, r)
	case errors.Is(err, auth.ErrForbidden):
		m.forbidden(w, r)
	default:
		sh.ServerError(w, r, err)
	}
}

func (m *Module) forbidden(w http.ResponseWriter, r *http.Request) {
	m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.d.Shell.T(r, "error.forbidden"))
}

// render shows a console page; status is 422 when a form comes back with
// errors.
func (m *Module) render(w http.ResponseWriter, r *http.Request, status int, page, titleKey string, data any, args ...any) {
	sh := m.d.Shell
	sh.Render.Page(w, r, status, "admin/"+page, sh.Render.View(r, sh.T(r, titleKey, args...), data))
}

// actor describes the request's principal for the audit log.
func actor(r *http.Request) audit.Actor { return auth.ActorOf(web.PrincipalOf(r), web.ClientIP(r)) }

// option is one choice of a select or a checkbox group.
type option struct {
	Value, Label string
	Selected     bool
}

// formValues reads every value of a multi-valued field, trimmed, blanks
// dropped.
func formValues(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.PostForm[name] {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// parseForm reads a posted form within a size cap; admin forms are small.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	return r.ParseForm()
}

// dateInput reads a YYYY-MM-DD input as the start of that day in the
// city's time zone; empty is the zero time, and ok is false for anything
// that is not a date.
func dateInput(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}
