package identity

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
)

// A woman born on 15 July 1990, first registered in Alak, Kota Kupang.
const (
	testNIK       = "5371015507900001"
	testNIKMasked = "5371********0001"
)

func TestNIKValidationMessages(t *testing.T) {
	h := start(t)
	b := h.browser()
	b.signInCitizen("+6281234567010")
	cases := []struct {
		form  url.Values
		field string
		want  string
	}{
		{url.Values{"nik": {"53710155079"}}, "nik", "NIK harus tepat 16 angka"},
		{url.Values{"nik": {"5371a15507900001"}}, "nik", "hanya boleh berisi angka"},
		{url.Values{"nik": {"9971015507900001"}}, "nik", "bukan kode wilayah"},
		{url.Values{"nik": {"5371013207900001"}}, "nik", "bukan tanggal lahir yang ada"},
		{url.Values{"nik": {"5371015507900000"}}, "nik", "tidak boleh 0000"},
		{url.Values{"nik": {testNIK}}, "birth_date", "Isi tanggal lahir untuk memeriksa NIK"},
		{url.Values{"nik": {testNIK}, "birth_date": {"1990-07-16"}, "sex": {"P"}}, "birth_date", "tidak sama dengan tanggal lahir dalam NIK"},
		{url.Values{"nik": {testNIK}, "birth_date": {"1990-07-15"}, "sex": {"L"}}, "sex", "tidak sesuai dengan NIK"},
	}
	for _, c := range cases {
		resp, body := b.postFrom("/akun", "/akun/profil", c.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) ||
			!strings.Contains(body, `id="f-`+c.field+`-error"`) {
			t.Errorf("%v: %d, want %q on %s", c.form, resp.StatusCode, c.want, c.field)
		}
	}
	// Both disagreements at once are both named.
	_, body := b.postFrom("/akun", "/akun/profil", url.Values{"nik": {testNIK}, "birth_date": {"1991-07-15"}, "sex": {"L"}})
	if !strings.Contains(body, `id="f-birth_date-error"`) || !strings.Contains(body, `id="f-sex-error"`) {
		t.Error("a double mismatch does not mark both fields")
	}
	// In English too.
	u, _ := url.Parse(h.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: i18n.CookieName, Value: "en"}})
	if _, body := b.postFrom("/akun", "/akun/profil", url.Values{"nik": {"123"}}); !strings.Contains(body, "A NIK has exactly 16 digits") {
		t.Error("no English message")
	}
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: i18n.CookieName, Value: "id"}})

	resp, _ := b.postFrom("/akun", "/akun/profil", url.Values{"nik": {"5371 0155 0790 0001"}, "birth_date": {"1990-07-15"}, "sex": {"P"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid NIK: %d", resp.StatusCode)
	}
	_, body = b.get("/akun")
	if !strings.Contains(body, testNIKMasked) || strings.Contains(body, testNIK) {
		t.Fatal("the account page must show the NIK masked only")
	}
	// One NIK, one account.
	other := h.browser()
	other.signInCitizen("+6281234567011")
	resp, body = other.postFrom("/akun", "/akun/profil", url.Values{"nik": {testNIK}, "birth_date": {"1990-07-15"}, "sex": {"P"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "sudah terdaftar pada akun lain") {
		t.Fatalf("duplicate NIK: %d", resp.StatusCode)
	}
	// Stored sealed: the database holds neither the NIK nor its digits.
	var sealed, index, masked string
	if err := h.app.Deps.DB.QueryRowContext(h.ctx(), `SELECT nik_sealed, nik_index, nik_masked FROM users WHERE nik_masked <> ''`).Scan(&sealed, &index, &masked); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, testNIK) || strings.Contains(index, testNIK) || masked != testNIKMasked || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("stored %q / %q / %q", sealed, index, masked)
	}
}

func TestRevealExportAndDeleteAccount(t *testing.T) {
	h := start(t)
	const phone = "+6281234567020"
	b := h.browser()
	b.signInCitizen(phone)
	b.postFrom("/akun", "/akun/profil", url.Values{"name": {"Maria Lake"}, "email": {"maria@example.id"},
		"nik": {testNIK}, "birth_date": {"1990-07-15"}, "sex": {"P"}, "kelurahan_code": {"53.71.01.1001"}})
	me, err := h.svc.Me(h.ctx(), mustPrincipal(t, h, b))
	if err != nil {
		t.Fatal(err)
	}

	resp, body := b.postFrom("/akun", "/akun/nik", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, testNIK) {
		t.Fatalf("reveal: %d", resp.StatusCode)
	}
	resp, body = b.postFrom("/akun", "/akun/data", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	var export struct {
		Account struct {
			ID                      int64
			Phone, Name, Email, NIK string
			KelurahanCode           string `json:"kelurahan_code"`
			Roles                   []string
		}
		Sessions []map[string]any
		Activity []struct{ Action string }
	}
	if err := json.Unmarshal([]byte(body), &export); err != nil {
		t.Fatal(err)
	}
	a := export.Account
	if a.ID != me.ID || a.Phone != phone || a.Name != "Maria Lake" || a.Email != "maria@example.id" || a.NIK != testNIK ||
		a.KelurahanCode != "53.71.01.1001" || !slices.Equal(a.Roles, []string{"citizen"}) || len(export.Sessions) != 1 {
		t.Fatalf("export %+v", export)
	}
	if len(export.Activity) == 0 || export.Activity[0].Action != "user.read" {
		t.Fatalf("activity %+v", export.Activity)
	}

	if resp, body := b.get("/akun/hapus"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="confirm"`) {
		t.Fatalf("delete page: %d", resp.StatusCode)
	}
	if resp, _ := b.postFrom("/akun/hapus", "/akun/hapus", nil); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("delete without confirming: %d", resp.StatusCode)
	}
	resp, _ = b.postFrom("/akun/hapus", "/akun/hapus", url.Values{"confirm": {"ya"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/masuk?info=dihapus" {
		t.Fatalf("delete: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := b.get("/akun"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("still signed in after deletion")
	}
	var gotPhone, gotNIKIndex any
	var name, email, sealed, masked, kel string
	var disabled bool
	var deletedAt any
	err = h.app.Deps.DB.QueryRowContext(h.ctx(), `SELECT phone, name, email, nik_sealed, nik_index, nik_masked, kelurahan_code, disabled, deleted_at FROM users WHERE id = $1`, me.ID).
		Scan(&gotPhone, &name, &email, &sealed, &gotNIKIndex, &masked, &kel, &disabled, &deletedAt)
	if err != nil {
		t.Fatal(err)
	}
	if gotPhone != nil || gotNIKIndex != nil || name != "" || email != "" || sealed != "" || masked != "" || kel != "" || !disabled || deletedAt == nil {
		t.Fatalf("not de-identified: %v %v %q %q %q %q %q %v %v", gotPhone, gotNIKIndex, name, email, sealed, masked, kel, disabled, deletedAt)
	}
	// The number (and the NIK) are free again: signing up makes a new account.
	h.clock.Advance(2 * time.Minute)
	b.signInCitizen(phone)
	again, err := h.svc.Me(h.ctx(), mustPrincipal(t, h, b))
	if err != nil || again.ID == me.ID {
		t.Fatalf("new account %d, old %d, %v", again.ID, me.ID, err)
	}
	actions := h.auditActions(audit.Filter{ObjectType: "user", ObjectID: audit.ObjectID(me.ID)})
	for _, want := range []string{"user.created", "signin.succeeded", "user.profile_changed", "user.read", "user.exported", "user.deleted"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in %v", want, actions)
		}
	}
	// Staff cannot delete themselves from this page.
	h.staff("staf.x", "dlhk", "officer")
	s := h.browser()
	s.signInStaff("staf.x", "staf.x-password")
	if resp, _ := s.postFrom("/akun", "/akun/hapus", url.Values{"confirm": {"ya"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff deleting their account: %d", resp.StatusCode)
	}
}

func mustPrincipal(t *testing.T, h *harness, b *browser) *auth.Principal {
	t.Helper()
	p, err := h.svc.SessionPrincipal(h.ctx(), b.session())
	if err != nil || p == nil {
		t.Fatalf("no session principal: %v", err)
	}
	return p
}

// TestNoNIKInLogs runs everything that touches a NIK with a debug logger
// that has no redaction, and proves no NIK-shaped number was logged.
func TestNoNIKInLogs(t *testing.T) {
	h := start(t, "--log-level", "debug")
	b := h.browser()
	b.signInCitizen("+6281234567030")
	for _, form := range []url.Values{
		{"nik": {testNIK}},
		{"nik": {testNIK}, "birth_date": {"1990-07-16"}, "sex": {"L"}},
		{"nik": {"5371013207900001"}},
		{"nik": {testNIK}, "birth_date": {"1990-07-15"}, "sex": {"P"}, "name": {"Nik Test"}},
	} {
		b.postFrom("/akun", "/akun/profil", form)
	}
	b.get("/akun")
	b.postFrom("/akun", "/akun/nik", nil)
	b.postFrom("/akun", "/akun/data", nil)
	dup := h.browser()
	dup.signInCitizen("+6281234567031")
	dup.postFrom("/akun", "/akun/profil", url.Values{"nik": {testNIK}, "birth_date": {"1990-07-15"}, "sex": {"P"}})
	admin := &auth.Principal{Kind: auth.Staff, UserID: 1, Username: "auditor", Grants: []auth.Grant{{Permission: "users.manage", Scope: "city"}}}
	if users, err := h.svc.ListUsers(h.ctx(), admin, auth.UserFilter{Query: testNIK}); err != nil || len(users) != 1 || users[0].NIKMasked != testNIKMasked {
		t.Fatalf("admin search by NIK: %+v %v", users, err)
	} else if _, err := h.svc.GetUser(h.ctx(), admin, users[0].ID); err != nil {
		t.Fatal(err)
	}
	h.runJobs()
	b.postFrom("/akun/hapus", "/akun/hapus", url.Values{"confirm": {"ya"}})
	logs := h.logs.String()
	if !strings.Contains(logs, "level=DEBUG") || !strings.Contains(logs, "POST /akun/profil") {
		t.Fatal("the log did not capture the requests")
	}
	if found := idnum.FindNIKLike(logs); len(found) > 0 {
		t.Fatalf("NIK-shaped numbers in the log: %v", found)
	}
	if strings.Contains(logs, testNIK) {
		t.Fatal("the NIK is in the log")
	}
}
