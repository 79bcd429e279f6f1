package reports

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"mime/multipart"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// photoPolicy is what a report photo may be: an image (JPEG, PNG or
// WebP) of at most MaxPhotoBytes; its GPS position is read so that it can
// place the pin when the reporter allows, and the store strips it.
var photoPolicy = files.Policy{ReadGPS: true, MaxBytes: MaxPhotoBytes, Allow: []files.ContentType{files.JPEG, files.PNG, files.WebP}}

type groupView struct {
	Code       string
	Categories []Category
}

type kecamatanOption struct {
	Name      string
	Kelurahan []kelurahanOption
}

type kelurahanOption struct{ Code, Name string }

// formView is the data of the report form and the category picker.
type formView struct {
	base
	Groups     []groupView
	Cat        Category
	Values     map[string]string
	Attrs      map[string][]string
	Errors     map[string]string
	Summary    string
	Kecamatan  []kecamatanOption
	Privacies  []Privacy
	Duplicates []NearbyReport
	Signed     bool
}

// Checked reports whether a list attribute's choice is selected.
func (f formView) Checked(code, key string) bool {
	for _, v := range f.Attrs[code] {
		if v == key {
			return true
		}
	}
	return false
}

// formPage is GET /lapor: the category picker, or with ?kategori= the
// form itself.
func (m *Module) formPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if web.PrincipalOf(r).Authenticated() {
		// The form's service worker keeps no offline copy of a page made
		// for an account (its header and the form show the account's
		// name) on a phone that others may use.
		w.Header().Set("X-Offline-Copy", "no")
	}
	code := r.URL.Query().Get("kategori")
	cats, err := m.cats.active(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if code == "" {
		m.renderPicker(w, r, cats)
		return
	}
	cat, ok, err := m.cats.get(ctx, code)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if !ok || !cat.Active {
		m.renderPicker(w, r, cats)
		return
	}
	fv := m.newFormView(r, cat)
	fv.Values["privasi"] = string(cat.DefaultPrivacy)
	fv.Values["token"] = newFormToken()
	if p := web.PrincipalOf(r); p.Authenticated() && p.Kind == auth.Citizen {
		if u, err := m.d.Auth.Me(ctx, p); err == nil {
			fv.Values["nama"] = u.Name
			fv.Values["kelurahan"] = u.KelurahanCode
		}
	}
	m.renderForm(w, r, http.StatusOK, fv)
}

func (m *Module) renderPicker(w http.ResponseWriter, r *http.Request, cats []Category) {
	var groups []groupView
	idx := map[string]int{}
	for _, c := range cats {
		i, ok := idx[c.Group]
		if !ok {
			i = len(groups)
			idx[c.Group] = i
			groups = append(groups, groupView{Code: c.Group})
		}
		groups[i].Categories = append(groups[i].Categories, c)
	}
	sh := m.d.Shell
	m.render(w, r, http.StatusOK, "pick.html", sh.T(r, "reports.form_title"), &formView{Groups: groups})
}

func (m *Module) newFormView(r *http.Request, cat Category) formView {
	fv := formView{Cat: cat, Values: map[string]string{}, Attrs: map[string][]string{}, Errors: map[string]string{},
		Privacies: Privacies, Signed: web.PrincipalOf(r).Authenticated()}
	for _, k := range m.d.Regions.Kecamatan() {
		ko := kecamatanOption{Name: k.Name}
		for _, kel := range m.d.Regions.KelurahanIn(k.Code) {
			ko.Kelurahan = append(ko.Kelurahan, kelurahanOption{kel.Code, kel.Name})
		}
		sort.Slice(ko.Kelurahan, func(i, j int) bool { return ko.Kelurahan[i].Name < ko.Kelurahan[j].Name })
		fv.Kecamatan = append(fv.Kecamatan, ko)
	}
	return fv
}

func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, status int, fv formView) {
	sh := m.d.Shell
	m.render(w, r, status, "form.html", fv.Cat.Name(web.LocaleOf(r))+" · "+sh.T(r, "reports.form_title"), &fv)
}

func newFormToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// formSubmit is POST /lapor (multipart): validate, store photos, and
// either show nearby duplicates first or create the report and go to its
// tracking page.
func (m *Module) formSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sh := m.d.Shell
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "reports.err_form"))
		return
	}
	cat, ok, err := m.cats.get(ctx, r.PostFormValue("kategori"))
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	if !ok || !cat.Active {
		http.Redirect(w, r, "/lapor", http.StatusSeeOther)
		return
	}
	fv := m.newFormView(r, cat)
	for _, k := range []string{"lat", "lon", "kelurahan", "alamat", "uraian", "privasi", "nama", "telepon", "email", "tampilkan_nama", "lokasi_foto", "token"} {
		fv.Values[k] = r.PostFormValue(k)
	}
	s := Submission{Category: cat.Code, Kelurahan: fv.Values["kelurahan"], Address: fv.Values["alamat"],
		Description: fv.Values["uraian"], Privacy: fv.Values["privasi"], ShowName: fv.Values["tampilkan_nama"] != "",
		UsePhotoLocation: fv.Values["lokasi_foto"] != "", IdempotencyKey: fv.Values["token"], Source: "web",
		Locale: string(web.LocaleOf(r)), Actor: actorOf(r), Attributes: map[string][]string{},
		Contact: Contact{Name: fv.Values["nama"], Phone: fv.Values["telepon"], Email: fv.Values["email"]}}
	for _, a := range cat.Attributes {
		vals := r.PostForm["attr_"+a.Code]
		s.Attributes[a.Code], fv.Attrs[a.Code] = vals, vals
	}
	latS, lonS := strings.TrimSpace(fv.Values["lat"]), strings.TrimSpace(fv.Values["lon"])
	if latS != "" || lonS != "" {
		lat, err1 := strconv.ParseFloat(latS, 64)
		lon, err2 := strconv.ParseFloat(lonS, 64)
		if err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon) {
			fv.Errors["location"] = sh.T(r, "reports.err_location_invalid")
			fv.Summary = sh.T(r, "reports.form_fix")
			m.renderForm(w, r, http.StatusUnprocessableEntity, fv)
			return
		}
		s.HasPoint, s.Lat, s.Lon = true, lat, lon
	}
	if err := m.fillFromAccount(r, &s); err != nil {
		sh.ServerError(w, r, err)
		return
	}
	// A double tap must not store the photos twice or offer duplicates:
	// the same form token already made a report.
	if prev, err := getReport(ctx, m.d.DB, `r.idempotency_key = $1`, idempotencyDigest("web", s.IdempotencyKey)); err == nil && s.IdempotencyKey != "" {
		http.Redirect(w, r, "/lapor/"+prev.Code+"?baru=1", http.StatusSeeOther)
		return
	}
	// Before anything is stored: open reports of the same category close
	// by are offered first, unless the reporter has seen them.
	if s.HasPoint && r.PostFormValue("dup_checked") == "" {
		dups, err := m.nearby(ctx, cat.Code, s.Lat, s.Lon, DuplicateRadiusM, 5)
		if err != nil {
			sh.ServerError(w, r, err)
			return
		}
		if len(dups) > 0 {
			for i := range dups {
				dups[i].StatusLabel = sh.T(r, "reports.status_"+string(dups[i].Status))
			}
			fv.Duplicates = dups
			m.renderForm(w, r, http.StatusOK, fv)
			return
		}
	}
	photos, err := m.savePhotos(r, r.MultipartForm)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			for f, msg := range ie.Fields {
				fv.Errors[f] = sh.T(r, msg.Key, msg.Args...)
			}
			fv.Summary = sh.T(r, "reports.form_fix")
			m.renderForm(w, r, http.StatusUnprocessableEntity, fv)
			return
		}
		sh.ServerError(w, r, err)
		return
	}
	s.Photos = photos
	rep, _, err := m.Submit(ctx, s)
	var ie *InputError
	switch {
	case errors.As(err, &ie):
		for f, msg := range ie.Fields {
			fv.Errors[f] = sh.T(r, msg.Key, msg.Args...)
		}
		if len(photos) > 0 {
			fv.Errors["photos"] = sh.T(r, "reports.photos_again")
		}
		fv.Summary = sh.T(r, "reports.form_fix")
		m.renderForm(w, r, http.StatusUnprocessableEntity, fv)
	case err != nil:
		sh.ServerError(w, r, err)
	default:
		http.Redirect(w, r, "/lapor/"+rep.Code+"?baru=1", http.StatusSeeOther)
	}
}

// savePhotos stores up to MaxPhotos images from the form field "foto".
// A refused file is an InputError naming why; nothing about the report is
// stored yet, and stored files are content-addressed (a retry reuses
// them).
func (m *Module) savePhotos(r *http.Request, form *multipart.Form) ([]files.Saved, error) {
	if form == nil {
		return nil, nil
	}
	var hs []*multipart.FileHeader
	for _, h := range form.File["foto"] {
		if h.Size > 0 || h.Filename != "" {
			hs = append(hs, h)
		}
	}
	if len(hs) > MaxPhotos {
		return nil, &InputError{Fields: map[string]FieldMsg{"photos": {Key: "reports.err_photos_count", Args: []any{MaxPhotos}}}}
	}
	var out []files.Saved
	for _, h := range hs {
		f, err := h.Open()
		if err != nil {
			return nil, err
		}
		saved, err := m.d.Uploads.Save(r.Context(), f, photoPolicy)
		f.Close()
		if code := files.ErrorCode(err); code != "" {
			return nil, &InputError{Fields: map[string]FieldMsg{"photos": {Key: "reports.err_photo_" + code, Args: []any{h.Filename, MaxPhotoBytes >> 20}}}}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, saved)
	}
	return out, nil
}

// kelurahanName is a kelurahan's name, for pages.
func (m *Module) kelurahanName(code string) string {
	if k, ok := m.d.Regions.Lookup(code); ok {
		return k.Name
	}
	return code
}
