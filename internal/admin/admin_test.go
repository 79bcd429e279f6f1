package admin_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/sodamolek/sodamolek/internal/admin"
	"github.com/sodamolek/sodamolek/internal/apptest"
	// The tests sign in through the identity module's pages; it is listed
	// here too so that they do not depend on the order in which modules
	// are added to internal/modules.
	_ "github.com/sodamolek/sodamolek/internal/identity"
	_ "github.com/sodamolek/sodamolek/internal/modules"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// demoPassword is every demo staff account's password
// (docs/demo-accounts.md).
const demoPassword = "demo-kupang-2026"

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// browser is a signed-in (or anonymous) client that remembers the CSRF
// token of the last page it read, as a browser's forms would.
type browser struct {
	t    *testing.T
	s    *apptest.Server
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, s *apptest.Server) *browser {
	return &browser{t: t, s: s, c: s.Client()}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, body := apptest.Get(b.t, b.c, b.s.URL+path)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

// post submits a form with the current CSRF token (unless the form sets
// csrf_token itself, even to "").
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", b.csrf)
	}
	resp, body := apptest.Do(b.t, b.c, http.MethodPost, b.s.URL+path, "application/x-www-form-urlencoded", form.Encode(), nil)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

// signIn signs in through the staff sign-in form and fails the test
// unless the server lets the account in.
func signIn(t *testing.T, s *apptest.Server, username, password string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	b.get("/masuk")
	resp, body := b.post("/masuk", url.Values{"username": {username}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), "/masuk") {
		t.Fatalf("sign in as %s = %d %s\n%s", username, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	// The session has its own CSRF token; read it from a page.
	if resp, _ := b.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after signing in as %s, /akun = %d", username, resp.StatusCode)
	}
	return b
}

func start(t *testing.T) *apptest.Server {
	return apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
}

func wantStatus(t *testing.T, what string, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s = %d, want %d\n%s", what, resp.StatusCode, want, tail(body))
	}
}

var noise = regexp.MustCompile(`(?s)(<option[^>]*>[^<]*</option>\s*)+|<nav class="admin-nav".*?</nav>|\n\s*\n`)

// tail is the part of a page worth reading in a failure: the main
// content without the long unit lists.
func tail(s string) string {
	if i := strings.Index(s, `<main id="main">`); i >= 0 {
		s = s[i:]
	}
	s = noise.ReplaceAllString(s, "\n")
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}

var userPath = regexp.MustCompile(`^/admin/users/(\d+)\?ok=user_created$`)

// createStaff creates an account through the form and returns its id.
func createStaff(t *testing.T, b *browser, username, unit, role string) int64 {
	t.Helper()
	b.get("/admin/users/new")
	resp, body := b.post("/admin/users", url.Values{"username": {username}, "name": {"Staf " + username}, "email": {username + "@kupangkota.go.id"},
		"unit_code": {unit}, "roles": {role}, "password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026!"}})
	wantStatus(t, "create "+username, resp, body, http.StatusSeeOther)
	m := userPath.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("create %s redirected to %q", username, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestAdminCreatesStaffWhoCanSignIn(t *testing.T) {
	s := start(t)
	admin := signIn(t, s, "admin", demoPassword)

	resp, body := admin.get("/admin")
	wantStatus(t, "GET /admin", resp, body, http.StatusOK)
	for _, href := range []string{"/admin/users", "/admin/units", "/admin/roles", "/admin/apikeys", "/admin/audit", "/admin/jobs"} {
		if !strings.Contains(body, `href="`+href+`"`) {
			t.Errorf("the city administrator's overview lacks %s", href)
		}
	}

	// A refused form comes back as typed, with the error at its field and
	// nothing created.
	admin.get("/admin/users/new")
	resp, body = admin.post("/admin/users", url.Values{"username": {"dinkes.petugas"}, "name": {"Yohana Bria"},
		"unit_code": {"dinkes"}, "roles": {"officer"}, "password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026?"}})
	wantStatus(t, "create with mismatched passwords", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `value="dinkes.petugas"`) || !strings.Contains(body, `value="Yohana Bria"`) ||
		!strings.Contains(body, `id="password_confirm-error"`) || !strings.Contains(body, "Kedua kata sandi tidak sama.") {
		t.Fatalf("the refused form does not keep the input or show the error:\n%s", tail(body))
	}
	resp, body = admin.post("/admin/users", url.Values{"username": {"X"}, "name": {"Yohana Bria"},
		"unit_code": {"dinkes"}, "roles": {"officer"}, "password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026!"}})
	wantStatus(t, "create with a bad username", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="username-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("no field error for the username:\n%s", tail(body))
	}

	id := createStaff(t, admin, "dinkes.petugas", "dinkes", "officer")
	resp, body = admin.get("/admin/users/" + strconv.FormatInt(id, 10) + "?ok=user_created")
	wantStatus(t, "the new account's page", resp, body, http.StatusOK)
	if !strings.Contains(body, "Akun berhasil dibuat.") || !strings.Contains(body, "dinkes.petugas") {
		t.Fatalf("the account page lacks the flash or the account:\n%s", tail(body))
	}
	resp, body = admin.get("/admin/users?q=dinkes&unit=dinkes")
	wantStatus(t, "user list", resp, body, http.StatusOK)
	if !strings.Contains(body, "dinkes.petugas") {
		t.Fatalf("the list filtered by unit lacks the new account:\n%s", tail(body))
	}
	// A NIK or phone number never travels in a URL.
	resp, body = admin.get("/admin/users?q=081234567890")
	wantStatus(t, "search by phone in the URL", resp, body, http.StatusUnprocessableEntity)
	if strings.Contains(body, "081234567890") {
		t.Fatal("the refused identifier is echoed on the page")
	}
	resp, body = admin.post("/admin/users/search", url.Values{"identifier": {"081234567890"}})
	wantStatus(t, "search by phone", resp, body, http.StatusOK)
	if !strings.Contains(body, "62812****7890") || strings.Contains(body, "81234567890") {
		t.Fatalf("the demo citizen is not found, or its number is not masked:\n%s", tail(body))
	}

	colleague := signIn(t, s, "dinkes.petugas", "Sasando-2026!")
	if resp, _ := colleague.get("/admin"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an officer's /admin = %d, want 403", resp.StatusCode)
	}

	// Reset the password: the old one stops working.
	admin.get("/admin/users/" + strconv.FormatInt(id, 10))
	resp, body = admin.post("/admin/users/"+strconv.FormatInt(id, 10)+"/password",
		url.Values{"password": {"Ti'i-Langga-77"}, "password_confirm": {"Ti'i-Langga-77"}})
	wantStatus(t, "reset password", resp, body, http.StatusSeeOther)
	signIn(t, s, "dinkes.petugas", "Ti'i-Langga-77")

	resp, body = admin.get("/admin/users/abc")
	wantStatus(t, "non-numeric user id", resp, body, http.StatusNotFound)
	resp, body = admin.get("/admin/users/999999")
	wantStatus(t, "unknown user id", resp, body, http.StatusNotFound)
}

func TestUnitAdminStaysInsideTheirUnits(t *testing.T) {
	s := start(t)
	admin := signIn(t, s, "admin", demoPassword)
	dinkes := createStaff(t, admin, "dinkes.staf", "dinkes", "officer")
	dlhkOfficer := createStaff(t, admin, "dlhk.baru", "dlhk", "officer")

	unitAdmin := signIn(t, s, "dlhk.admin", demoPassword)
	resp, body := unitAdmin.get("/admin")
	wantStatus(t, "unit admin's overview", resp, body, http.StatusOK)
	if !strings.Contains(body, `href="/admin/users"`) || strings.Contains(body, `href="/admin/roles"`) || strings.Contains(body, `href="/admin/jobs"`) {
		t.Fatalf("the unit admin's overview offers the wrong areas:\n%s", tail(body))
	}
	resp, body = unitAdmin.get("/admin/users")
	wantStatus(t, "unit admin's list", resp, body, http.StatusOK)
	if strings.Contains(body, "dinkes.staf") || !strings.Contains(body, "dlhk.baru") {
		t.Fatalf("the unit admin's list shows the wrong accounts:\n%s", tail(body))
	}
	path := "/admin/users/" + strconv.FormatInt(dinkes, 10)
	resp, body = unitAdmin.get(path)
	wantStatus(t, "unit admin opens a dinkes account", resp, body, http.StatusForbidden)
	unitAdmin.get("/admin/users")
	resp, body = unitAdmin.post(path, url.Values{"name": {"Diubah"}, "unit_code": {"dlhk"}, "roles": {"officer"}})
	wantStatus(t, "unit admin edits a dinkes account", resp, body, http.StatusForbidden)
	resp, body = unitAdmin.post(path+"/password", url.Values{"password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026!"}})
	wantStatus(t, "unit admin resets a dinkes password", resp, body, http.StatusForbidden)
	resp, body = unitAdmin.get("/admin/units")
	wantStatus(t, "unit admin's units page", resp, body, http.StatusForbidden)

	// The form does not offer the admin role, and posting it anyway is
	// refused at the field.
	resp, body = unitAdmin.get("/admin/users/new")
	wantStatus(t, "unit admin's new-user form", resp, body, http.StatusOK)
	if strings.Contains(body, `value="admin"`) || strings.Contains(body, `<option value="dinkes"`) {
		t.Fatalf("the unit admin is offered the admin role or a foreign unit:\n%s", tail(body))
	}
	resp, body = unitAdmin.post("/admin/users", url.Values{"username": {"dlhk.bos"}, "name": {"Calon Admin"}, "unit_code": {"dlhk"},
		"roles": {"admin"}, "password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026!"}})
	wantStatus(t, "unit admin grants admin", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="roles-error"`) || !strings.Contains(body, `value="dlhk.bos"`) {
		t.Fatalf("no error at the roles field:\n%s", tail(body))
	}
	own := "/admin/users/" + strconv.FormatInt(dlhkOfficer, 10)
	unitAdmin.get(own)
	resp, body = unitAdmin.post(own, url.Values{"name": {"Petugas Baru DLHK"}, "unit_code": {"dlhk"}, "roles": {"officer", "admin"}})
	wantStatus(t, "unit admin promotes to admin", resp, body, http.StatusUnprocessableEntity)
	resp, body = unitAdmin.post("/admin/users", url.Values{"username": {"dlhk.pindah"}, "name": {"Pindahan"}, "unit_code": {"dinkes"},
		"roles": {"officer"}, "password": {"Sasando-2026!"}, "password_confirm": {"Sasando-2026!"}})
	wantStatus(t, "unit admin creates in dinkes", resp, body, http.StatusForbidden)

	// Inside their unit the edit goes through.
	unitAdmin.get(own)
	resp, body = unitAdmin.post(own, url.Values{"name": {"Petugas Baru DLHK"}, "email": {""}, "unit_code": {"dlhk"}, "roles": {"officer", "supervisor"}})
	wantStatus(t, "unit admin edits their officer", resp, body, http.StatusSeeOther)
	resp, body = unitAdmin.get(own)
	wantStatus(t, "GET "+own, resp, body, http.StatusOK)
	if !strings.Contains(body, `value="Petugas Baru DLHK"`) || !strings.Contains(body, "supervisor") {
		t.Fatalf("the edit did not stick:\n%s", tail(body))
	}
}

func TestUnitEditIsValidatedAndAudited(t *testing.T) {
	s := start(t)
	admin := signIn(t, s, "admin", demoPassword)

	resp, body := admin.get("/admin/units/dinkes")
	wantStatus(t, "dinkes form", resp, body, http.StatusOK)
	form := url.Values{"name": {"Dinas Kesehatan"}, "short_name": {"Dinkes"}, "type": {"dinas"}, "parent_code": {"pkm-oesapa"},
		"lat": {"-10.1497"}, "lon": {"123.6325"}, "service_area": {"53.71.01.1001", "53.71.01.1002"}, "active": {"on"}}
	// pkm-oesapa hangs under dinkes: a cycle.
	resp, body = admin.post("/admin/units/dinkes", form)
	wantStatus(t, "dinkes under its own puskesmas", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="parent_code-error"`) || !strings.Contains(body, "salah satu unit di bawahnya") {
		t.Fatalf("no parent error:\n%s", tail(body))
	}
	form.Set("parent_code", "tidak-ada")
	form.Set("lat", "sepuluh")
	resp, body = admin.post("/admin/units/dinkes", form)
	wantStatus(t, "unknown parent and a bad latitude", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Unit induk tidak ditemukan.") || !strings.Contains(body, `id="lat-error"`) || !strings.Contains(body, `value="sepuluh"`) {
		t.Fatalf("not every field error is shown, or the input is lost:\n%s", tail(body))
	}
	tree, err := s.App.Deps.Units.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := tree.Get("dinkes"); u.ParentCode != "pemkot" || len(u.ServiceArea) != 51 {
		t.Fatalf("a refused edit changed the unit: parent %q, %d kelurahan", u.ParentCode, len(u.ServiceArea))
	}
	resp, body = admin.get("/admin/audit?object_type=unit&object_id=dinkes")
	wantStatus(t, "audit search", resp, body, http.StatusOK)
	if strings.Contains(body, "<code>unit.updated</code>") {
		t.Fatal("a refused edit was audited")
	}

	// A good edit is saved and audited with the before and after.
	form.Set("parent_code", "pemkot")
	form.Set("lat", "-10.1497")
	form.Set("short_name", "Dinkes Kota")
	resp, body = admin.post("/admin/units/dinkes", form)
	wantStatus(t, "good edit", resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/units/dinkes?ok=unit_saved" {
		t.Fatalf("redirect to %q", loc)
	}
	resp, body = admin.get("/admin/units/dinkes?ok=unit_saved")
	wantStatus(t, "GET /admin/units/dinkes?ok=unit_saved", resp, body, http.StatusOK)
	if !strings.Contains(body, "Perubahan unit disimpan.") || !strings.Contains(body, `value="Dinkes Kota"`) {
		t.Fatalf("the saved unit:\n%s", tail(body))
	}
	resp, body = admin.get("/admin/audit?actor=admin&action=unit.updated&object_type=unit&object_id=dinkes&from=2026-12-04&to=2026-12-04")
	wantStatus(t, "audit search", resp, body, http.StatusOK)
	if !strings.Contains(body, "<code>unit.updated</code>") || !strings.Contains(body, "&#34;short_name&#34;: &#34;Dinkes&#34;") ||
		!strings.Contains(body, "&#34;short_name&#34;: &#34;Dinkes Kota&#34;") {
		t.Fatalf("the edit is not in the audit log with before and after:\n%s", tail(body))
	}
	resp, body = admin.get("/admin/audit?action=unit.updated&from=2026-12-05")
	wantStatus(t, "GET /admin/audit?action=unit.updated&from=2026-12-05", resp, body, http.StatusOK)
	if strings.Contains(body, "<code>unit.updated</code>") {
		t.Fatal("the date filter does not filter")
	}
	resp, body = admin.get("/admin/audit?from=kemarin")
	wantStatus(t, "audit search with a bad date", resp, body, http.StatusUnprocessableEntity)

	// Creating a unit: an existing code is refused, a new one appears.
	admin.get("/admin/units/new")
	resp, body = admin.post("/admin/units", url.Values{"code": {"dlhk"}, "name": {"Duplikat"}, "type": {"dinas"}, "parent_code": {"pemkot"}})
	wantStatus(t, "new unit with a taken code", resp, body, http.StatusUnprocessableEntity)
	resp, body = admin.post("/admin/units", url.Values{"code": {"uptd-tpa"}, "name": {"UPTD TPA Alak"}, "type": {"tim"},
		"parent_code": {"dlhk"}, "region_code": {"53.71.01.1001"}, "active": {"on"}})
	wantStatus(t, "new unit", resp, body, http.StatusSeeOther)
	resp, body = admin.get("/admin/units")
	wantStatus(t, "GET /admin/units", resp, body, http.StatusOK)
	if !strings.Contains(body, `href="/admin/units/uptd-tpa"`) {
		t.Fatalf("the new unit is not listed:\n%s", tail(body))
	}
	resp, body = admin.get("/admin/units/tidak-ada")
	wantStatus(t, "unknown unit", resp, body, http.StatusNotFound)

	// The audit log is read-only: no route writes to it.
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		resp, _ := apptest.Do(t, admin.c, method, s.URL+"/admin/audit", "application/x-www-form-urlencoded",
			url.Values{"csrf_token": {admin.csrf}}.Encode(), nil)
		if resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s /admin/audit = %d", method, resp.StatusCode)
		}
	}
}

func TestAuditPagesOlder(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	for i := 1; i <= 60; i++ {
		err := s.App.Deps.Audit.Record(ctx, s.App.Deps.DB, audit.Entry{Actor: audit.System("test"), Action: "test.bulk",
			ObjectType: "thing", ObjectID: fmt.Sprintf("thing-%02d", i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	admin := signIn(t, s, "admin", demoPassword)
	resp, body := admin.get("/admin/audit?action=test.bulk&actor_kind=system")
	wantStatus(t, "first page", resp, body, http.StatusOK)
	if n := strings.Count(body, "<code>test.bulk</code>"); n != 50 {
		t.Fatalf("first page has %d entries", n)
	}
	// Newest first.
	if strings.Index(body, "thing-60") > strings.Index(body, "thing-11") || strings.Contains(body, "thing-10<") {
		t.Fatal("the first page is not the newest 50")
	}
	older := regexp.MustCompile(`href="(/admin/audit\?[^"]+)" rel="next"`).FindStringSubmatch(body)
	if older == nil {
		t.Fatalf("no link to older entries:\n%s", tail(body))
	}
	resp, body = admin.get(html.UnescapeString(older[1]))
	wantStatus(t, "older page", resp, body, http.StatusOK)
	if n := strings.Count(body, "<code>test.bulk</code>"); n != 10 || !strings.Contains(body, "thing-01<") || strings.Contains(body, `rel="next"`) {
		t.Fatalf("the older page has %d entries:\n%s", n, tail(body))
	}
	if !strings.Contains(body, `href="/admin/audit?action=test.bulk&amp;actor_kind=system"`) {
		t.Fatalf("no way back to the newest entries with the same filters:\n%s", tail(body))
	}
}

var plainKey = regexp.MustCompile(`smk_key_[A-Za-z0-9_-]{20,}`)

func TestAPIKeyShownOnceAndRevoked(t *testing.T) {
	s := start(t)
	admin := signIn(t, s, "admin", demoPassword)
	admin.get("/admin/apikeys")
	resp, body := admin.post("/admin/apikeys", url.Values{"name": {""}, "scopes_other": {"open311"}})
	wantStatus(t, "key without a name", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="name-error"`) || !strings.Contains(body, `value="open311"`) {
		t.Fatalf("no name error or the scopes were lost:\n%s", tail(body))
	}
	resp, body = admin.post("/admin/apikeys", url.Values{"name": {"Aplikasi Lapor RT"}, "scopes_other": {"open311, fhir"}})
	wantStatus(t, "create key", resp, body, http.StatusOK)
	key := plainKey.FindString(body)
	if key == "" {
		t.Fatalf("the key is not shown:\n%s", tail(body))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the key page may be cached: %q", cc)
	}
	resp, body = admin.get("/admin/apikeys")
	wantStatus(t, "key list", resp, body, http.StatusOK)
	if strings.Contains(body, key) || plainKey.MatchString(body) {
		t.Fatal("the list shows the full key")
	}
	prefix := key[:len("smk_key_")+6]
	if !strings.Contains(body, prefix) || !strings.Contains(body, "Aplikasi Lapor RT") {
		t.Fatalf("the list lacks the key's prefix %s:\n%s", prefix, tail(body))
	}
	m := regexp.MustCompile(`action="/admin/apikeys/(\d+)/revoke"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no revoke form")
	}
	revoke := "/admin/apikeys/" + m[1] + "/revoke"
	// Without confirmation: a page that asks, and the key still works.
	resp, body = admin.post(revoke, nil)
	wantStatus(t, "revoke unconfirmed", resp, body, http.StatusOK)
	if !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("no confirmation form:\n%s", tail(body))
	}
	resp, body = admin.post(revoke, url.Values{"confirm": {"yes"}})
	wantStatus(t, "revoke", resp, body, http.StatusSeeOther)
	resp, body = admin.get("/admin/apikeys?ok=key_revoked")
	wantStatus(t, "GET /admin/apikeys?ok=key_revoked", resp, body, http.StatusOK)
	if !strings.Contains(body, "Kunci API dicabut") || !strings.Contains(body, "Dicabut ") || strings.Contains(body, `action="`+revoke+`"`) {
		t.Fatalf("the key is not shown as revoked:\n%s", tail(body))
	}
	resp, body = admin.post("/admin/apikeys/abc/revoke", url.Values{"confirm": {"yes"}})
	wantStatus(t, "revoke a non-numeric id", resp, body, http.StatusNotFound)
	resp, body = admin.post("/admin/apikeys/99999/revoke", url.Values{"confirm": {"yes"}})
	wantStatus(t, "revoke an unknown id", resp, body, http.StatusNotFound)
	resp, body = admin.get("/admin/audit?action=apikey.revoked")
	wantStatus(t, "GET /admin/audit?action=apikey.revoked", resp, body, http.StatusOK)
	if !strings.Contains(body, "<code>apikey.revoked</code>") {
		t.Fatalf("the revocation is not audited:\n%s", tail(body))
	}
}

func TestFailedJobShownAndRetried(t *testing.T) {
	s := start(t)
	var healed atomic.Bool
	s.App.Deps.Jobs.Register("admintest.deliver", func(ctx context.Context, j *jobs.Job) error {
		if healed.Load() {
			return nil
		}
		return jobs.Permanent(errors.New("gateway answered 550: mailbox unavailable"))
	})
	id, err := s.App.Deps.Jobs.Enqueue(context.Background(), "admintest.deliver", map[string]string{"to": "+6281234567890"})
	if err != nil {
		t.Fatal(err)
	}
	s.RunJobs(t)
	admin := signIn(t, s, "admin", demoPassword)
	resp, body := admin.get("/admin/jobs?state=failed")
	wantStatus(t, "failed jobs", resp, body, http.StatusOK)
	retry := "/admin/jobs/" + strconv.FormatInt(id, 10) + "/retry"
	if !strings.Contains(body, "gateway answered 550: mailbox unavailable") || !strings.Contains(body, `action="`+retry+`"`) {
		t.Fatalf("the failed job, its error or its retry button is missing:\n%s", tail(body))
	}
	if strings.Contains(body, "81234567890") {
		t.Fatal("the job list shows a payload")
	}
	resp, body = admin.get("/admin")
	wantStatus(t, "GET /admin", resp, body, http.StatusOK)
	if !strings.Contains(body, "1 tugas gagal") {
		t.Fatalf("the overview does not count the failed job:\n%s", tail(body))
	}

	healed.Store(true)
	resp, body = admin.post(retry, nil)
	wantStatus(t, "retry", resp, body, http.StatusSeeOther)
	if j, err := s.App.Deps.Jobs.Get(context.Background(), id); err != nil || j.State != jobs.StateAvailable {
		t.Fatalf("after retry the job is %+v, %v", j, err)
	}
	resp, body = admin.post(retry, nil)
	wantStatus(t, "retry a waiting job", resp, body, http.StatusConflict)
	s.RunJobs(t)
	if j, _ := s.App.Deps.Jobs.Get(context.Background(), id); j.State != jobs.StateSucceeded {
		t.Fatalf("the retried job is %s", j.State)
	}
	resp, body = admin.get("/admin/audit?action=job.retried&object_type=job&object_id=" + strconv.FormatInt(id, 10))
	wantStatus(t, "GET /admin/audit?action=job.retried&object_type=job&object_id="+strconv.FormatInt(id, 10), resp, body, http.StatusOK)
	if !strings.Contains(body, "<code>job.retried</code>") || !strings.Contains(body, "mailbox unavailable") {
		t.Fatalf("the retry is not audited:\n%s", tail(body))
	}
	resp, body = admin.post("/admin/jobs/abc/retry", nil)
	wantStatus(t, "retry a non-numeric id", resp, body, http.StatusNotFound)
	resp, body = admin.post("/admin/jobs/99999/retry", nil)
	wantStatus(t, "retry an unknown id", resp, body, http.StatusNotFound)
}

func TestRolesEditable(t *testing.T) {
	s := start(t)
	admin := signIn(t, s, "admin", demoPassword)
	resp, body := admin.get("/admin/roles?edit=executive")
	wantStatus(t, "roles page", resp, body, http.StatusOK)
	if !strings.Contains(body, `name="scope.audit.read"`) {
		t.Fatalf("no scope select for audit.read:\n%s", tail(body))
	}
	resp, body = admin.post("/admin/roles/executive", url.Values{"scope.audit.read": {"galaxy"}})
	wantStatus(t, "invalid scope", resp, body, http.StatusUnprocessableEntity)
	// A grant narrower than the city does not open a city-wide area.
	resp, body = admin.post("/admin/roles/executive", url.Values{"scope.audit.read": {"unit"}})
	wantStatus(t, "grant audit.read on the unit", resp, body, http.StatusSeeOther)
	walikota := signIn(t, s, "walikota", demoPassword)
	resp, body = walikota.get("/admin/audit")
	wantStatus(t, "the executive reads the audit log with a unit grant", resp, body, http.StatusForbidden)
	resp, body = walikota.get("/admin")
	wantStatus(t, "the executive's overview with a unit grant", resp, body, http.StatusForbidden)
	resp, body = admin.post("/admin/roles/executive", url.Values{"scope.audit.read": {"city"}})
	wantStatus(t, "grant audit.read on the city", resp, body, http.StatusSeeOther)
	resp, body = admin.get("/admin/roles?ok=role_saved")
	wantStatus(t, "roles page after saving", resp, body, http.StatusOK)
	if !strings.Contains(body, "Hak akses peran disimpan.") {
		t.Fatalf("no flash after saving:\n%s", tail(body))
	}
	resp, body = walikota.get("/admin/audit")
	wantStatus(t, "the executive reads the audit log", resp, body, http.StatusOK)
	if !strings.Contains(body, "role.grants_changed") {
		t.Fatalf("the grant change is not in the audit log:\n%s", tail(body))
	}
	resp, body = walikota.get("/admin/users")
	wantStatus(t, "the executive manages users", resp, body, http.StatusForbidden)
	resp, body = admin.post("/admin/roles/tidak-ada", url.Values{})
	wantStatus(t, "unknown role", resp, body, http.StatusNotFound)
	resp, body = admin.get("/admin/roles?edit=tidak-ada")
	wantStatus(t, "unknown role form", resp, body, http.StatusNotFound)
}

func TestAccessAndCSRF(t *testing.T) {
	s := start(t)
	anon := newBrowser(t, s)
	resp, _ := anon.get("/admin/users")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/masuk?next=") {
		t.Fatalf("anonymous /admin/users = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	admin := signIn(t, s, "admin", demoPassword)
	target := createStaff(t, admin, "kominfo.baru", "kominfo", "employee")
	path := "/admin/users/" + strconv.FormatInt(target, 10)
	for _, p := range []string{path, path + "/password", path + "/unlock", "/admin/users", "/admin/units/dlhk", "/admin/roles/officer",
		"/admin/apikeys", "/admin/jobs/1/retry"} {
		resp, body := admin.post(p, url.Values{"csrf_token": {""}, "name": {"Tanpa Token"}})
		wantStatus(t, "POST "+p+" without a CSRF token", resp, body, http.StatusForbidden)
		resp, body = admin.post(p, url.Values{"csrf_token": {"bukan-token-yang-benar-0123456789abcdef"}, "name": {"Tanpa Token"}})
		wantStatus(t, "POST "+p+" with a wrong CSRF token", resp, body, http.StatusForbidden)
	}
	resp, body := admin.get(path)
	wantStatus(t, "GET "+path, resp, body, http.StatusOK)
	if strings.Contains(body, "Tanpa Token") {
		t.Fatal("a forged POST changed the account")
	}
	// The navigation offers the console to administrators only.
	if !strings.Contains(body, `<a href="/admin"`) {
		t.Error("the administrator's navigation lacks the console")
	}
	officer := signIn(t, s, "dlhk.officer", demoPassword)
	if _, body := officer.get("/"); strings.Contains(body, `href="/admin"`) {
		t.Error("an officer's navigation offers the console")
	}
	// English pages come from the module's own catalog.
	_, body = apptest.Do(t, admin.c, http.MethodGet, s.URL+"/admin/units", "", "", http.Header{"Accept-Language": {"en"}})
	if !strings.Contains(body, "Organisation units") || !strings.Contains(body, "Add a unit") {
		t.Fatalf("no English:\n%s", tail(body))
	}
}
