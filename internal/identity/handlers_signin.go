package identity

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// signinData is the sign-in page: a staff tab (username and password) and
// a citizen tab (mobile number), chosen with ?tab= so it works without
// JavaScript.
type signinData struct {
	Tab  string // "staf" or "warga"
	Next string
	Form *form
}

func nextOf(r *http.Request) string {
	next := r.FormValue("next")
	if next == "" {
		return ""
	}
	return web.SafeNext(next)
}

// withNext appends ?next= to a path when there is somewhere to go back to.
func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

func (m *Module) signinPage(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	next := nextOf(r)
	if p.MFAPending {
		m.redirectToMFA(w, r, p, next)
		return
	}
	if p.Authenticated() {
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
		return
	}
	tab := r.URL.Query().Get("tab")
	if tab != "warga" {
		tab = "staf"
	}
	f := newForm(nil)
	if r.URL.Query().Get("info") == "dihapus" {
		f.Notice = m.d.Shell.T(r, "account.deleted_notice")
	}
	m.page(w, r, http.StatusOK, "signin.html", "signin.title", signinData{Tab: tab, Next: next, Form: f})
}

func orHome(next string) string {
	if next == "" {
		return "/"
	}
	return next
}

// redirectToMFA sends a half-signed-in staff member to the step they owe.
func (m *Module) redirectToMFA(w http.ResponseWriter, r *http.Request, p *auth.Principal, next string) {
	state, err := m.svc.PendingMFA(r.Context(), p)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	path := "/masuk/verifikasi"
	if state == auth.MFAEnrol {
		path = "/masuk/totp-baru"
	}
	http.Redirect(w, r, withNext(path, next), http.StatusSeeOther)
}

// setSession stores a new session in the browser.
func (m *Module) setSession(w http.ResponseWriter, sess auth.Session) {
	m.d.Shell.SetSessionCookie(w, sess.Token, sess.MaxAge)
}

func (m *Module) signinStaff(w http.ResponseWriter, r *http.Request) {
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next := nextOf(r)
	f := newForm(map[string]string{"username": username})
	data := signinData{Tab: "staf", Next: next, Form: f}
	if username == "" {
		f.Errors["username"] = m.d.Shell.T(r, "signin.username_required")
	}
	if password == "" {
		f.Errors["password"] = m.d.Shell.T(r, "signin.password_required")
	}
	if len(f.Errors) > 0 {
		f.Alert = m.d.Shell.T(r, "form.check_fields")
		m.page(w, r, http.StatusUnprocessableEntity, "signin.html", "signin.title", data)
		return
	}
	if msg, limited := m.limited(w, r, m.limits.signinAccount, strings.ToLower(username)); limited {
		f.Alert = msg
		m.page(w, r, http.StatusTooManyRequests, "signin.html", "signin.title", data)
		return
	}
	sess, err := m.svc.SignIn(r.Context(), username, password, sessionToken(r), client(r))
	if err != nil {
		m.signinFailed(w, r, err, data)
		return
	}
	m.setSession(w, sess)
	switch sess.MFA {
	case auth.MFAVerify:
		http.Redirect(w, r, withNext("/masuk/verifikasi", next), http.StatusSeeOther)
	case auth.MFAEnrol:
		http.Redirect(w, r, withNext("/masuk/totp-baru", next), http.StatusSeeOther)
	default:
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
	}
}

// signinFailed renders the staff form again with the one message that
// fits, never saying whether the account exists.
func (m *Module) signinFailed(w http.ResponseWriter, r *http.Request, err error, data signinData) {
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		wait := locked.RetryAfter(m.d.Clock.Now())
		retryAfter(w, wait)
		data.Form.Alert = m.d.Shell.T(r, "signin.locked", (wait+59)/60)
		m.page(w, r, http.StatusTooManyRequests, "signin.html", "signin.title", data)
	case errors.Is(err, auth.ErrBadCredentials):
		data.Form.Alert = m.d.Shell.T(r, "signin.bad_credentials")
		m.page(w, r, http.StatusUnauthorized, "signin.html", "signin.title", data)
	default:
		m.serverError(w, r, err)
	}
}

// totpData is the second step of a staff sign-in.
type totpData struct {
	Next string
	Form *form
}

// pendingState returns the step the request's half-open session owes,
// or MFANone when there is no such session.
func (m *Module) pendingState(r *http.Request) (auth.MFAState, error) {
	p := web.PrincipalOf(r)
	if !p.MFAPending {
		return auth.MFANone, nil
	}
	return m.svc.PendingMFA(r.Context(), p)
}

func (m *Module) totpStepPage(w http.ResponseWriter, r *http.Request) {
	state, err := m.pendingState(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if state != auth.MFAVerify {
		http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
		return
	}
	m.page(w, r, http.StatusOK, "totp.html", "totp.title", totpData{Next: nextOf(r), Form: newForm(nil)})
}

func (m *Module) totpStep(w http.ResponseWriter, r *http.Request) {
	next := nextOf(r)
	state, err := m.pendingState(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if state != auth.MFAVerify {
		http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
		return
	}
	f := newForm(nil)
	sess, err := m.svc.CompleteTOTP(r.Context(), sessionToken(r), r.PostFormValue("code"), client(r))
	var locked *auth.LockedError
	switch {
	case err == nil:
		m.setSession(w, sess)
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
	case errors.As(err, &locked):
		// The half-open session is of no further use: start again later.
		_ = m.svc.SignOut(r.Context(), sessionToken(r), client(r))
		m.d.Shell.ClearSessionCookie(w)
		wait := locked.RetryAfter(m.d.Clock.Now())
		retryAfter(w, wait)
		f.Alert = m.d.Shell.T(r, "signin.locked", (wait+59)/60)
		m.page(w, r, http.StatusTooManyRequests, "signin.html", "signin.title", signinData{Tab: "staf", Next: next, Form: f})
	case errors.Is(err, auth.ErrBadCredentials):
		f.Errors["code"] = m.d.Shell.T(r, "totp.code_wrong")
		f.Alert = m.d.Shell.T(r, "form.check_fields")
		m.page(w, r, http.StatusUnauthorized, "totp.html", "totp.title", totpData{Next: next, Form: f})
	case errors.Is(err, auth.ErrNotFound):
		http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
	default:
		m.serverError(w, r, err)
	}
}

// enrolData shows a new TOTP secret and asks for a code from it.
type enrolData struct {
	Enrolment auth.TOTPEnrolment
	// OpenURL is the otpauth: link; html/template would refuse the
	// scheme in an href unless it is marked as trusted.
	OpenURL  template.URL
	Action   string
	Required bool // an administrator signing in: no way around it
	Next     string
	Form     *form
}

func newEnrolData(e auth.TOTPEnrolment, action string, required bool, next string, f *form) enrolData {
	return enrolData{Enrolment: e, OpenURL: template.URL(e.URL), Action: action, Required: required, Next: next, Form: f}
}

// enrolment returns the pending TOTP enrolment of the principal, starting
// one when there is none, so reloading the page shows the same secret.
func (m *Module) enrolment(r *http.Request) (auth.TOTPEnrolment, error) {
	p := web.PrincipalOf(r)
	e, err := m.svc.PendingTOTP(r.Context(), p)
	if errors.Is(err, auth.ErrNotFound) {
		return m.svc.BeginTOTP(r.Context(), p, client(r))
	}
	return e, err
}

func (m *Module) enrolStepPage(w http.ResponseWriter, r *http.Request) {
	state, err := m.pendingState(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if state != auth.MFAEnrol {
		http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
		return
	}
	e, err := m.enrolment(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "totp_enrol.html", "totp.enrol_title",
		newEnrolData(e, "/masuk/totp-baru", true, nextOf(r), newForm(nil)))
}

func (m *Module) enrolStep(w http.ResponseWriter, r *http.Request) {
	state, err := m.pendingState(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if state != auth.MFAEnrol {
		http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
		return
	}
	next := nextOf(r)
	sess, err := m.svc.ConfirmTOTP(r.Context(), web.PrincipalOf(r), sessionToken(r), r.PostFormValue("code"), client(r))
	if err == nil {
		m.setSession(w, sess)
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
		return
	}
	f := newForm(nil)
	if !m.fieldErrors(r, f, err) {
		m.serverError(w, r, err)
		return
	}
	e, err := m.enrolment(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusUnprocessableEntity, "totp_enrol.html", "totp.enrol_title",
		newEnrolData(e, "/masuk/totp-baru", true, next, f))
}

// signOut ends the browser's session (a half-open one too).
func (m *Module) signOut(w http.ResponseWriter, r *http.Request) {
	if err := m.svc.SignOut(r.Context(), sessionToken(r), client(r)); err != nil {
		m.serverError(w, r, err)
		return
	}
	m.d.Shell.ClearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
