package identity

import (
	"errors"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// accountTOTPPage shows a staff member's second factor: the enrolment
// (secret and otpauth URL) while it is off, the switch-off form while it
// is on.
func (m *Module) accountTOTPPage(w http.ResponseWriter, r *http.Request) {
	u, err := m.svc.Me(r.Context(), web.PrincipalOf(r))
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if u.TOTPEnabled {
		m.page(w, r, http.StatusOK, "totp_disable.html", "totp.disable_title", totpData{Form: newForm(nil)})
		return
	}
	e, err := m.enrolment(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "totp_enrol.html", "totp.enrol_title", newEnrolData(e, "/akun/totp", false, "", newForm(nil)))
}

func (m *Module) accountTOTPConfirm(w http.ResponseWriter, r *http.Request) {
	_, err := m.svc.ConfirmTOTP(r.Context(), web.PrincipalOf(r), sessionToken(r), r.PostFormValue("code"), client(r))
	if err == nil {
		http.Redirect(w, r, "/akun?ok=totp_on", http.StatusSeeOther)
		return
	}
	f := newForm(nil)
	if !m.fieldErrors(r, f, err) {
		if errors.Is(err, auth.ErrNotFound) {
			http.Redirect(w, r, "/akun/totp", http.StatusSeeOther)
			return
		}
		m.serverError(w, r, err)
		return
	}
	e, err := m.enrolment(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusUnprocessableEntity, "totp_enrol.html", "totp.enrol_title", newEnrolData(e, "/akun/totp", false, "", f))
}

func (m *Module) accountTOTPDisable(w http.ResponseWriter, r *http.Request) {
	err := m.svc.DisableTOTP(r.Context(), web.PrincipalOf(r), r.PostFormValue("code"), client(r))
	if err == nil {
		http.Redirect(w, r, "/akun?ok=totp_off", http.StatusSeeOther)
		return
	}
	f := newForm(nil)
	if !m.fieldErrors(r, f, err) {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusUnprocessableEntity, "totp_disable.html", "totp.disable_title", totpData{Form: f})
}
