package services_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/services/retribution"
)

// demoStaff signs a demo account in through the JSON API.
func demoStaff(t *testing.T, s *apptest.Server, username string) *client {
	t.Helper()
	cl := &client{t: t, s: s, c: s.Client()}
	code, body := cl.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": "demo-kupang-2026"})
	mustCode(t, "login "+username, code, 200, body)
	cl.token = body["token"].(string)
	return cl
}

// postValues sends an url-encoded form with the client's bearer token
// (or its session cookie and csrf, when it has them).
func (cl *client) postValues(path string, v url.Values, h http.Header) (*http.Response, string) {
	cl.t.Helper()
	if h == nil {
		h = http.Header{}
	}
	if cl.token != "" {
		h.Set("Authorization", "Bearer "+cl.token)
	}
	return apptest.Do(cl.t, cl.c, "POST", cl.s.URL+path, "application/x-www-form-urlencoded", v.Encode(), h)
}

var textareaDefinition = regexp.MustCompile(`(?s)<textarea id="f-definition"[^>]*>(.*?)</textarea>`)

// serviceForm reads the edit page's inputs as a form to post back.
func serviceForm(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, name := range []string{"name", "fee"} {
		m := regexp.MustCompile(`name="` + name + `"[^>]*value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s input: %.2000s", name, page)
		}
		v.Set(name, html.UnescapeString(m[1]))
	}
	for _, name := range []string{"description", "eligibility"} {
		m := regexp.MustCompile(`(?s)<textarea id="f-` + name + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s textarea", name)
		}
		v.Set(name, html.UnescapeString(m[1]))
	}
	m := textareaDefinition.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no definition textarea: %.3000s", page)
	}
	v.Set("definition", html.UnescapeString(m[1]))
	if strings.Contains(page, `id="f-active" checked`) {
		v.Set("active", "1")
	}
	return v
}

// withDefinition edits the JSON text through a generic map.
func withDefinition(t *testing.T, v url.Values, edit func(def map[string]any)) url.Values {
	t.Helper()
	var def map[string]any
	if err := json.Unmarshal([]byte(v.Get("definition")), &def); err != nil {
		t.Fatalf("definition on the page is not JSON: %v", err)
	}
	edit(def)
	b, _ := json.MarshalIndent(def, "", "  ")
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Set("definition", string(b))
	return out
}

func auditCount(t *testing.T, s *apptest.Server, action, object string) int {
	t.Helper()
	var n int
	if err := s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
		action, object).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestManageServicePage edits a letter through the administrator's
// pages: its name and the SLA of its first stage reach the API; invalid
// JSON and an invalid definition are refused with the reason and leave
// the service as it was; officers are refused.
func TestManageServicePage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	admin := demoStaff(t, s, "admin")

	resp, page := admin.page("/layanan/kelola")
	if resp.StatusCode != 200 || !strings.Contains(page, `href="/layanan/kelola/domisili"`) || !strings.Contains(page, `href="/layanan/kelola/pbg"`) ||
		!strings.Contains(page, `href="/layanan/kelola/retribusi"`) || strings.Contains(page, `data-source="edited"`) {
		t.Fatalf("list = %d %.3000s", resp.StatusCode, page)
	}
	// The navigation and the officer queue link the pages.
	if _, q := admin.page("/layanan/petugas"); !strings.Contains(q, `<li><a href="/layanan/kelola">`) || !strings.Contains(q, `id="manage-links"`) {
		t.Fatalf("the admin's queue page has no catalog link: %.3000s", q)
	}

	resp, page = admin.page("/layanan/kelola/domisili")
	if resp.StatusCode != 200 || !strings.Contains(page, `value="Surat Keterangan Domisili"`) || !strings.Contains(page, `&#34;sla_days&#34;: 1`) {
		t.Fatalf("edit page = %d %.3000s", resp.StatusCode, page)
	}
	form := serviceForm(t, page)
	var top map[string]any
	if err := json.Unmarshal([]byte(form.Get("definition")), &top); err != nil || top["name"] != nil || top["stages"] == nil {
		t.Fatalf("the JSON text (%v) = %v", err, top)
	}

	// Invalid JSON: 422, the position, the typed values kept, nothing saved.
	bad := url.Values{}
	for k, vs := range form {
		bad[k] = vs
	}
	bad.Set("name", "Nama yang diketik")
	bad.Set("definition", "{\n  \"stages\": [\n    {\"code\": \"a\",}\n  ]\n}")
	resp, page = admin.postValues("/layanan/kelola/domisili", bad, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-definition"`) ||
		!strings.Contains(page, "JSON tidak valid di baris 3, kolom 18") || !strings.Contains(page, `value="Nama yang diketik"`) ||
		!strings.Contains(page, `{&#34;code&#34;: &#34;a&#34;,}`) {
		t.Fatalf("invalid JSON = %d %.4000s", resp.StatusCode, page)
	}
	// A value of the wrong type names its key, in English for an English reader.
	wrong := withDefinition(t, form, func(def map[string]any) {
		def["stages"].([]any)[0].(map[string]any)["sla_days"] = "two"
	})
	resp, page = admin.postValues("/layanan/kelola/domisili", wrong, http.Header{"Accept-Language": {"en"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "<code>stages.sla_days</code>") ||
		!strings.Contains(page, "the value must be a whole number") {
		t.Fatalf("wrong type = %d %.4000s", resp.StatusCode, page)
	}

	// An invalid definition: each problem with its JSON path, the empty
	// name next to its input.
	invalid := withDefinition(t, form, func(def map[string]any) {
		stages := def["stages"].([]any)
		stages[0].(map[string]any)["actions"] = []any{"approve", "approve_all"}
		stages[1].(map[string]any)["after"] = []any{"nowhere"}
		def["name"] = "JSON name"
	})
	invalid.Set("name", " ")
	resp, page = admin.postValues("/layanan/kelola/domisili", invalid, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-name"`) ||
		!strings.Contains(page, `<code>name</code>: Diubah lewat isian di atas`) {
		t.Fatalf("form-owned key = %d %.4000s", resp.StatusCode, page)
	}
	invalid = withDefinition(t, invalid, func(def map[string]any) { delete(def, "name") })
	resp, page = admin.postValues("/layanan/kelola/domisili", invalid, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-name"`) ||
		!strings.Contains(page, `<code>stages[0].actions[1]</code>: Aksi &#34;approve_all&#34; tidak dikenal`) ||
		!strings.Contains(page, `<code>stages[1].after[0]</code>: &#34;nowhere&#34; harus kode tahap`) ||
		!strings.Contains(page, "approve_all") {
		t.Fatalf("invalid definition = %d %.5000s", resp.StatusCode, page)
	}
	code, body := admin.do("GET", "/api/v1/services/domisili", nil)
	mustCode(t, "service", code, 200, body)
	if body["name"] != "Surat Keterangan Domisili" || auditCount(t, s, "service.saved", "domisili") != 0 {
		t.Fatalf("a refused edit changed the service: %v", body)
	}

	// A valid edit: 303 with a flash, visible in the API, audited.
	good := withDefinition(t, form, func(def map[string]any) {
		def["stages"].([]any)[0].(map[string]any)["sla_days"] = 3
	})
	good.Set("name", "Surat Keterangan Domisili (Kupang)")
	loc := wantRedirect(t, "save")(admin.postValues("/layanan/kelola/domisili", good, nil))
	if loc != "/layanan/kelola/domisili?ok=saved" {
		t.Fatalf("redirect to %s", loc)
	}
	if _, page = admin.page(loc); !strings.Contains(page, `id="flash"`) || !strings.Contains(page, `value="Surat Keterangan Domisili (Kupang)"`) {
		t.Fatalf("after save: %.3000s", page)
	}
	code, body = admin.do("GET", "/api/v1/services/domisili", nil)
	mustCode(t, "service", code, 200, body)
	first := body["stages"].([]any)[0].(map[string]any)
	if body["name"] != "Surat Keterangan Domisili (Kupang)" || first["sla_days"] != float64(3) || body["code"] != "domisili" {
		t.Fatalf("saved service = %v", body)
	}
	if n := auditCount(t, s, "service.saved", "domisili"); n != 1 {
		t.Fatalf("audit entries = %d", n)
	}
	if _, page = admin.page("/layanan/kelola"); !strings.Contains(page, `data-source="edited"`) {
		t.Fatal("the list does not mark the edited service")
	}
	// Unchecking "active" retires it from the public catalog.
	retire := url.Values{}
	for k, vs := range good {
		retire[k] = vs
	}
	retire.Del("active")
	wantRedirect(t, "retire")(admin.postValues("/layanan/kelola/domisili", retire, nil))
	_, body = admin.do("GET", "/api/v1/services", nil)
	for _, sv := range body["services"].([]any) {
		if sv.(map[string]any)["code"] == "domisili" {
			t.Fatal("a retired service is still listed")
		}
	}
	if resp, _ := admin.page("/layanan/kelola/nope"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown service = %d", resp.StatusCode)
	}

	// Officers may not use these pages, nor see the link.
	officer := demoStaff(t, s, "pupr.officer")
	for _, path := range []string{"/layanan/kelola", "/layanan/kelola/domisili", "/layanan/kelola/retribusi"} {
		if resp, _ := officer.page(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("officer GET %s = %d", path, resp.StatusCode)
		}
	}
	if resp, _ := officer.postValues("/layanan/kelola/domisili", good, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("officer POST = %d", resp.StatusCode)
	}
	if _, q := officer.page("/layanan/petugas"); strings.Contains(q, `id="manage-links"`) || strings.Contains(q, `href="/layanan/kelola"`) || !strings.Contains(q, "<h1>") {
		t.Errorf("the officer's queue page: %.2000s", q)
	}
}

// TestManageFormNeedsCSRF: from a cookie session the form must carry the
// anti-forgery token.
func TestManageFormNeedsCSRF(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	c := s.Client()
	_, page := apptest.Get(t, c, s.URL+"/masuk")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("sign-in page has no CSRF token")
	}
	form := url.Values{"csrf_token": {m[1]}, "username": {"admin"}, "password": {"demo-kupang-2026"}}
	if resp, body := apptest.Do(t, c, "POST", s.URL+"/masuk", "application/x-www-form-urlencoded", form.Encode(), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in = %d %.300s", resp.StatusCode, body)
	}
	resp, page := apptest.Get(t, c, s.URL+"/layanan/kelola/domisili")
	if resp.StatusCode != 200 {
		t.Fatalf("edit page = %d", resp.StatusCode)
	}
	values := serviceForm(t, page)
	values.Set("name", "Forged")
	resp, _ = apptest.Do(t, c, "POST", s.URL+"/layanan/kelola/domisili", "application/x-www-form-urlencoded", values.Encode(), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without token = %d", resp.StatusCode)
	}
	resp, _ = apptest.Do(t, c, "POST", s.URL+"/layanan/kelola/retribusi", "application/x-www-form-urlencoded", url.Values{"shst": {"1"}}.Encode(), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("indices POST without token = %d", resp.StatusCode)
	}
	anon := &client{t: t, s: s, c: s.Client()}
	_, body := anon.do("GET", "/api/v1/services/domisili", nil)
	if body["name"] != "Surat Keterangan Domisili" {
		t.Fatalf("the forged post changed the service: %v", body["name"])
	}
	// With the page's token the same browser saves.
	values.Set("csrf_token", csrfInput.FindStringSubmatch(page)[1])
	values.Set("name", "Surat Domisili")
	resp, body2 := apptest.Do(t, c, "POST", s.URL+"/layanan/kelola/domisili", "application/x-www-form-urlencoded", values.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST with token = %d %.2000s", resp.StatusCode, body2)
	}
}

// TestManageIndicesPage: the indices form changes the calculator's
// answer; a locality above 0.5 % is refused next to its input.
func TestManageIndicesPage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	admin := demoStaff(t, s, "admin")
	anon := &client{t: t, s: s, c: s.Client()}
	in := retribution.Input{Area: 120, Function: "usaha", Complexity: "tidak_sederhana", Permanence: "permanen", Floors: 3,
		Ownership: "perorangan", Building: "baru"}
	calc := func() float64 {
		t.Helper()
		code, body := anon.do("POST", "/api/v1/pbg/retribution", in)
		mustCode(t, "calculator", code, 200, body)
		return body["amount"].(float64)
	}
	def := retribution.Defaults()
	before, _, _ := def.Compute(in)
	if got := calc(); got != float64(before) {
		t.Fatalf("calculator = %v, want %d", got, before)
	}

	resp, page := admin.page("/layanan/kelola/retribusi")
	if resp.StatusCode != 200 || !strings.Contains(page, `name="function.usaha" value="0.7"`) || !strings.Contains(page, `name="locality" type="text" value="0.5"`) ||
		!strings.Contains(page, `name="height.1.max_floors" value="4"`) || !strings.Contains(page, `name="height.3.max_floors" value=""`) {
		t.Fatalf("indices page = %d %.5000s", resp.StatusCode, page)
	}
	// The form as the page shows it, read back from its inputs.
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([a-z_.0-9]+)"[^>]*? value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if form.Get("shst") != "4500000" || form.Get("ownership.negara") != "0" {
		t.Fatalf("form read back = %v", form)
	}

	// Above the legal ceiling: refused next to the input, nothing changed.
	bad := url.Values{}
	for k, vs := range form {
		bad[k] = vs
	}
	bad.Set("locality", "0,6")
	bad.Set("complexity.sederhana", "-1")
	resp, page = admin.postValues("/layanan/kelola/retribusi", bad, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-locality"`) || !strings.Contains(page, "paling tinggi 0,5 %") ||
		!strings.Contains(page, `value="0,6"`) || !strings.Contains(page, `id="e-complexity.sederhana"`) {
		t.Fatalf("locality 0.6 %% = %d %.5000s", resp.StatusCode, page)
	}
	if got := calc(); got != float64(before) {
		t.Fatalf("a refused edit changed the calculator: %v", got)
	}

	// New values, typed the Indonesian way; a new height band and a new code.
	good := url.Values{}
	for k, vs := range form {
		good[k] = vs
	}
	good.Set("function.usaha", "0,8")
	good.Set("locality", "0,4")
	good.Set("shst", "4.800.000")
	good.Set("height.3.max_floors", "2000")
	good.Set("height.3.index", "1.2")
	good.Set("building.new_code", "rehabilitasi_ringan")
	good.Set("building.new_value", "0.3")
	loc := wantRedirect(t, "save indices")(admin.postValues("/layanan/kelola/retribusi", good, nil))
	if loc != "/layanan/kelola/retribusi?ok=indices_saved" {
		t.Fatalf("redirect to %s", loc)
	}
	if _, page = admin.page(loc); !strings.Contains(page, `id="flash"`) || !strings.Contains(page, `name="function.usaha" value="0.8"`) ||
		!strings.Contains(page, `name="building.rehabilitasi_ringan" value="0.3"`) {
		t.Fatalf("after save: %.5000s", page)
	}
	want := retribution.Defaults()
	want.Function["usaha"], want.Locality, want.SHST = 0.8, 0.004, 4_800_000
	want.Height = append(want.Height, retribution.HeightBand{MaxFloors: 2000, Index: 1.2})
	want.Building["rehabilitasi_ringan"] = 0.3
	after, _, err := want.Compute(in)
	if err != nil || after == before {
		t.Fatalf("expected amounts %d → %d (%v)", before, after, err)
	}
	if got := calc(); got != float64(after) {
		t.Fatalf("calculator after the edit = %v, want %d", got, after)
	}
	code, body := anon.do("GET", "/api/v1/pbg/retribution/indices", nil)
	mustCode(t, "indices", code, 200, body)
	if body["locality"] != 0.004 || len(body["height"].([]any)) != 4 || body["due_days"] != float64(10) {
		t.Fatalf("stored indices = %v", body)
	}
	if n := auditCount(t, s, "pbg_retribution.indices_saved", "pbg_retribution"); n != 1 {
		t.Fatalf("audit entries = %d", n)
	}
}
