package identity

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// accountData is the account page: profile, NIK, second factor, sessions,
// data download and deletion.
type accountData struct {
	User        auth.User
	UnitName    string
	Form        *form
	Kecamatan   []kecamatanOption
	Sessions    []auth.SessionInfo
	RevealedNIK string
	Location    *time.Location
	Next        string // sign-up's profile step: where to go afterwards
}

// kecamatanOption groups kelurahan for the home kelurahan <select>.
type kecamatanOption struct {
	Name      string
	Kelurahan []regions.Region
}

func (m *Module) kecamatanOptions() []kecamatanOption {
	var out []kecamatanOption
	for _, k := range m.d.Regions.Kecamatan() {
		out = append(out, kecamatanOption{Name: k.Name, Kelurahan: m.d.Regions.KelurahanIn(k.Code)})
	}
	return out
}

// notices maps the ?ok= of a redirect after a change to its message, so
// the confirmation survives the POST/redirect/GET round trip.
var notices = map[string]string{
	"profil":   "account.saved",
	"totp_on":  "totp.enabled_notice",
	"totp_off": "totp.disabled_notice",
}

// accountView loads what the account page shows; f carries the profile
// form (values from the account when nil).
func (m *Module) accountView(r *http.Request, f *form) (*accountData, error) {
	p := web.PrincipalOf(r)
	u, err := m.svc.Me(r.Context(), p)
	if err != nil {
		return nil, err
	}
	sessions, err := m.svc.ListSessions(r.Context(), p)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = newForm(map[string]string{"name": u.Name, "email": u.Email, "kelurahan_code": u.KelurahanCode})
		if key, ok := notices[r.URL.Query().Get("ok")]; ok {
			f.Notice = m.d.Shell.T(r, key)
		}
	}
	data := &accountData{User: u, Form: f, Kecamatan: m.kecamatanOptions(), Sessions: sessions, Location: m.d.Location}
	if u.UnitCode != "" {
		if unit, err := m.d.Units.Get(r.Context(), u.UnitCode); err == nil {
			data.UnitName = unit.Name
		}
	}
	return data, nil
}

func (m *Module) accountPage(w http.ResponseWriter, r *http.Request) {
	data, err := m.accountView(r, nil)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "account.html", "account.title", data)
}

// parseProfile reads the profile form. The NIK input is never filled in
// from the database: the page shows the masked NIK, and an empty input
// keeps it.
func (m *Module) parseProfile(r *http.Request) (auth.ProfileUpdate, *form, bool) {
	f := newForm(map[string]string{
		"name": r.PostFormValue("name"), "email": strings.TrimSpace(r.PostFormValue("email")),
		"kelurahan_code": r.PostFormValue("kelurahan_code"), "nik": strings.TrimSpace(r.PostFormValue("nik")),
		"birth_date": r.PostFormValue("birth_date"), "sex": r.PostFormValue("sex"), "remove_nik": r.PostFormValue("remove_nik"),
	})
	in := auth.ProfileUpdate{Name: f.Values["name"], Email: f.Values["email"], KelurahanCode: f.Values["kelurahan_code"],
		NIK: f.Values["nik"], RemoveNIK: f.Values["remove_nik"] != ""}
	ok := true
	if s := f.Values["birth_date"]; s != "" {
		d, err := time.ParseInLocation("2006-01-02", s, m.d.Location)
		if err != nil {
			f.Errors["birth_date"] = m.d.Shell.T(r, "user.birth_date_invalid")
			ok = false
		}
		in.BirthDate = d
	}
	switch f.Values["sex"] {
	case "":
	case "L":
		in.Sex = idnum.SexMale
	case "P":
		in.Sex = idnum.SexFemale
	default:
		f.Errors["sex"] = m.d.Shell.T(r, "user.sex_required")
		ok = false
	}
	if !ok {
		f.Alert = m.d.Shell.T(r, "form.check_fields")
	}
	return in, f, ok
}

// saveProfile applies the profile form; on invalid input it returns the
// form to show again.
func (m *Module) saveProfile(r *http.Request) (*form, error) {
	in, f, ok := m.parseProfile(r)
	if !ok {
		return f, nil
	}
	err := m.svc.UpdateProfile(r.Context(), web.PrincipalOf(r), in, client(r))
	if m.fieldErrors(r, f, err) {
		return f, nil
	}
	return nil, err
}

func (m *Module) accountProfileSave(w http.ResponseWriter, r *http.Request) {
	f, err := m.saveProfile(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if f == nil {
		http.Redirect(w, r, "/akun?ok=profil", http.StatusSeeOther)
		return
	}
	data, err := m.accountView(r, f)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	m.page(w, r, http.StatusUnprocessableEntity, "account.html", "account.title", data)
}

// accountRevealNIK shows the person their full NIK once (a POST, so no
// prefetch or history entry triggers the audited read).
func (m *Module) accountRevealNIK(w http.ResponseWriter, r *http.Request) {
	nik, err := m.svc.RevealNIK(r.Context(), web.PrincipalOf(r), client(r))
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	data, err := m.accountView(r, nil)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	data.RevealedNIK = nik
	m.page(w, r, http.StatusOK, "account.html", "account.title", data)
}

func (m *Module) accountSignOutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := m.svc.SignOutEverywhere(r.Context(), web.PrincipalOf(r), client(r)); err != nil {
		m.serverError(w, r, err)
		return
	}
	m.d.Shell.ClearSessionCookie(w)
	http.Redirect(w, r, web.SignInPath, http.StatusSeeOther)
}

// accountExport downloads everything stored about the person as JSON.
func (m *Module) accountExport(w http.ResponseWriter, r *http.Request) {
	body, err := m.svc.ExportData(r.Context(), web.PrincipalOf(r), client(r))
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="data-saya-sodamolek.json"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// deleteData is the confirmation page of account deletion.
type deleteData struct {
	Allowed bool // citizens only; staff accounts are closed by an administrator
	Form    *form
}

func (m *Module) accountDeletePage(w http.ResponseWriter, r *http.Request) {
	m.page(w, r, http.StatusOK, "delete.html", "delete.title",
		deleteData{Allowed: web.PrincipalOf(r).Kind == auth.Citizen, Form: newForm(nil)})
}

func (m *Module) accountDelete(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	if p.Kind != auth.Citizen {
		m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.d.Shell.T(r, "delete.staff"))
		return
	}
	if r.PostFormValue("confirm") != "ya" {
		f := newForm(nil)
		f.Errors["confirm"] = m.d.Shell.T(r, "delete.confirm_required")
		f.Alert = m.d.Shell.T(r, "form.check_fields")
		m.page(w, r, http.StatusUnprocessableEntity, "delete.html", "delete.title", deleteData{Allowed: true, Form: f})
		return
	}
	if err := m.svc.DeleteAccount(r.Context(), p, client(r)); err != nil && !errors.Is(err, auth.ErrNotFound) {
		m.serverError(w, r, err)
		return
	}
	m.d.Shell.ClearSessionCookie(w)
	http.Redirect(w, r, web.SignInPath+"?info=dihapus", http.StatusSeeOther)
}

// signupProfilePage is sign-up's last, optional step.
func (m *Module) signupProfilePage(w http.ResponseWriter, r *http.Request) {
	data, err := m.accountView(r, nil)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	data.Next = nextOf(r)
	m.page(w, r, http.StatusOK, "signup_profile.html", "signup.profile_title", data)
}

func (m *Module) signupProfileSave(w http.ResponseWriter, r *http.Request) {
	f, err := m.saveProfile(r)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	if f == nil {
		next := nextOf(r)
		if next == "" {
			next = "/akun?ok=profil"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	data, err := m.accountView(r, f)
	if err != nil {
		m.serverError(w, r, err)
		return
	}
	data.Next = nextOf(r)
	m.page(w, r, http.StatusUnprocessableEntity, "signup_profile.html", "signup.profile_title", data)
}
