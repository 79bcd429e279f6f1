package identity

import "github.com/sodamolek/sodamolek/internal/platform/web"

// routes registers every page and endpoint of the module. The sign-in
// steps are Public: a half-signed-in staff member is not Authenticated,
// and the handlers check the step themselves.
func (m *Module) routes(rt *web.Router) {
	l := m.limits
	rt.Page("GET /masuk", web.Public, m.signinPage)
	rt.Page("POST /masuk", web.Public, m.signinStaff, web.WithLimit(l.signin))
	rt.Page("GET /masuk/verifikasi", web.Public, m.totpStepPage)
	rt.Page("POST /masuk/verifikasi", web.Public, m.totpStep, web.WithLimit(l.signin))
	rt.Page("GET /masuk/totp-baru", web.Public, m.enrolStepPage)
	rt.Page("POST /masuk/totp-baru", web.Public, m.enrolStep, web.WithLimit(l.signin))
	rt.Page("POST /masuk/warga", web.Public, m.sendCode(signinFlow), web.WithLimit(l.otpSend))
	rt.Page("POST /masuk/warga/kode", web.Public, m.verifyCode(signinFlow), web.WithLimit(l.otpVerify))
	rt.Page("POST /keluar", web.Public, m.signOut)

	rt.Page("GET /daftar", web.Public, m.signupPage)
	rt.Page("POST /daftar", web.Public, m.sendCode(signupFlow), web.WithLimit(l.otpSend))
	rt.Page("POST /daftar/kode", web.Public, m.verifyCode(signupFlow), web.WithLimit(l.otpVerify))
	rt.Page("GET /daftar/profil", web.SignedIn, m.signupProfilePage)
	rt.Page("POST /daftar/profil", web.SignedIn, m.signupProfileSave)

	rt.Page("GET /akun", web.SignedIn, m.accountPage)
	rt.Page("POST /akun/profil", web.SignedIn, m.accountProfileSave)
	rt.Page("POST /akun/nik", web.SignedIn, m.accountRevealNIK)
	rt.Page("POST /akun/keluar-semua", web.SignedIn, m.accountSignOutEverywhere)
	rt.Page("POST /akun/data", web.SignedIn, m.accountExport)
	rt.Page("GET /akun/hapus", web.SignedIn, m.accountDeletePage)
	rt.Page("POST /akun/hapus", web.SignedIn, m.accountDelete)
	rt.Page("GET /akun/totp", web.StaffOnly, m.accountTOTPPage)
	rt.Page("POST /akun/totp", web.StaffOnly, m.accountTOTPConfirm)
	rt.Page("POST /akun/totp/nonaktif", web.StaffOnly, m.accountTOTPDisable)

	// The login endpoint takes JSON only (DecodeJSON refuses form
	// encodings, which is all a cross-site form can send) and answers
	// with a token in the body, never a cookie, so a forged request gains
	// an attacker nothing: it needs no CSRF token, which API clients do
	// not have.
	rt.API("POST /api/v1/auth/login", web.Public, m.apiLogin, web.WithLimit(l.signin), web.NoCSRF())
	rt.API("POST /api/v1/auth/logout", web.SignedIn, m.apiLogout)
	rt.API("GET /api/v1/me", web.SignedIn, m.apiMe)
}
