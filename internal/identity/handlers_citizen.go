package identity

import (
	"errors"
	"net/http"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// codeFlow is one of the two ways a citizen proves a mobile number: the
// citizen tab of the sign-in page, or sign-up (which then asks for the
// optional profile). Both create the account on first use, so neither
// reveals whether a number is registered.
type codeFlow struct {
	signup     bool
	sendPath   string
	verifyPath string
}

var (
	signinFlow = codeFlow{sendPath: "/masuk/warga", verifyPath: "/masuk/warga/kode"}
	signupFlow = codeFlow{signup: true, sendPath: "/daftar", verifyPath: "/daftar/kode"}
)

// otpData is the "enter the code we sent" step.
type otpData struct {
	Phone        string // E.164, sent back in a hidden field (never in a URL)
	PhoneMasked  string
	Action       string
	ResendAction string
	Next         string
	Signup       bool
	Form         *form
}

// signupData is the first sign-up step.
type signupData struct {
	Next string
	Form *form
}

func (m *Module) signupPage(w http.ResponseWriter, r *http.Request) {
	if web.PrincipalOf(r).Authenticated() {
		http.Redirect(w, r, "/akun", http.StatusSeeOther)
		return
	}
	m.page(w, r, http.StatusOK, "signup.html", "signup.title", signupData{Next: nextOf(r), Form: newForm(nil)})
}

// startAgain renders the page where the phone number is entered.
func (m *Module) startAgain(w http.ResponseWriter, r *http.Request, fl codeFlow, status int, f *form) {
	if fl.signup {
		m.page(w, r, status, "signup.html", "signup.title", signupData{Next: nextOf(r), Form: f})
		return
	}
	m.page(w, r, status, "signin.html", "signin.title", signinData{Tab: "warga", Next: nextOf(r), Form: f})
}

func (m *Module) otpPage(w http.ResponseWriter, r *http.Request, fl codeFlow, status int, phone string, f *form) {
	m.page(w, r, status, "otp.html", "otp.title", otpData{Phone: phone, PhoneMasked: idnum.MaskPhone(phone),
		Action: fl.verifyPath, ResendAction: fl.sendPath, Next: nextOf(r), Signup: fl.signup, Form: f})
}

// sendCode sends a one-time code to the number in the form.
func (m *Module) sendCode(fl codeFlow) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		input := strings.TrimSpace(r.PostFormValue("phone"))
		f := newForm(map[string]string{"phone": input})
		phone, err := auth.NormalizePhone(input)
		if err != nil {
			m.fieldErrors(r, f, err)
			m.startAgain(w, r, fl, http.StatusUnprocessableEntity, f)
			return
		}
		if msg, limited := m.limited(w, r, m.limits.otpSendPhone, phone); limited {
			f.Alert = msg
			m.otpPage(w, r, fl, http.StatusTooManyRequests, phone, f)
			return
		}
		_, err = m.svc.RequestOTP(r.Context(), phone, web.LocaleOf(r), client(r))
		var throttled *auth.ThrottledError
		switch {
		case err == nil:
			f.Notice = m.d.Shell.T(r, "otp.sent", idnum.MaskPhone(phone))
			m.otpPage(w, r, fl, http.StatusOK, phone, f)
		case errors.As(err, &throttled):
			// The code sent a moment ago still works: offer its form.
			retryAfter(w, throttled.RetryAfter())
			f.Alert = m.d.Shell.T(r, "otp.throttled", throttled.RetryAfter())
			m.otpPage(w, r, fl, http.StatusTooManyRequests, phone, f)
		default:
			m.serverError(w, r, err)
		}
	}
}

// verifyCode checks the code and signs the citizen in.
func (m *Module) verifyCode(fl codeFlow) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		input := strings.TrimSpace(r.PostFormValue("phone"))
		phone, err := auth.NormalizePhone(input)
		if err != nil {
			f := newForm(map[string]string{"phone": input})
			m.fieldErrors(r, f, err)
			m.startAgain(w, r, fl, http.StatusUnprocessableEntity, f)
			return
		}
		f := newForm(nil)
		if msg, limited := m.limited(w, r, m.limits.otpPhone, phone); limited {
			f.Alert = msg
			m.otpPage(w, r, fl, http.StatusTooManyRequests, phone, f)
			return
		}
		sess, err := m.svc.VerifyOTP(r.Context(), phone, r.PostFormValue("code"), sessionToken(r), client(r))
		var wrong *auth.OTPWrongError
		switch {
		case err == nil:
			m.setSession(w, sess)
			next := nextOf(r)
			if fl.signup || sess.NewAccount {
				http.Redirect(w, r, withNext("/daftar/profil", next), http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, orHome(next), http.StatusSeeOther)
		case errors.As(err, &wrong):
			f.Errors["code"] = m.d.Shell.T(r, "otp.wrong", wrong.Remaining)
			f.Alert = m.d.Shell.T(r, "form.check_fields")
			m.otpPage(w, r, fl, http.StatusUnauthorized, phone, f)
		case errors.Is(err, auth.ErrOTPExpired):
			f.Alert = m.d.Shell.T(r, "otp.expired")
			m.otpPage(w, r, fl, http.StatusUnauthorized, phone, f)
		case errors.Is(err, auth.ErrOTPTooManyTries):
			f.Alert = m.d.Shell.T(r, "otp.too_many")
			m.otpPage(w, r, fl, http.StatusUnauthorized, phone, f)
		case errors.Is(err, auth.ErrForbidden):
			f.Alert = m.d.Shell.T(r, "otp.account_disabled")
			m.startAgain(w, r, fl, http.StatusForbidden, f)
		case m.fieldErrors(r, f, err):
			m.otpPage(w, r, fl, http.StatusUnprocessableEntity, phone, f)
		default:
			m.serverError(w, r, err)
		}
	}
}
