package services_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	_ "github.com/sodamolek/sodamolek/internal/modules"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	_ "github.com/sodamolek/sodamolek/internal/services"
)

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// minimalPDF is a tiny well-formed PDF the upload store accepts.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
	"0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"

type client struct {
	t     *testing.T
	s     *apptest.Server
	c     *http.Client
	token string // bearer (staff, API key)
	csrf  string // session (citizen)
}

func (cl *client) do(method, path string, body any) (int, map[string]any) {
	cl.t.Helper()
	var raw string
	if body != nil {
		b, _ := json.Marshal(body)
		raw = string(b)
	}
	h := http.Header{}
	if cl.token != "" {
		h.Set("Authorization", "Bearer "+cl.token)
	}
	if cl.csrf != "" {
		h.Set("X-CSRF-Token", cl.csrf)
	}
	ct := ""
	if body != nil {
		ct = "application/json"
	}
	resp, text := apptest.Do(cl.t, cl.c, method, cl.s.URL+path, ct, raw, h)
	out := map[string]any{}
	_ = json.Unmarshal([]byte(text), &out)
	return resp.StatusCode, out
}

func (cl *client) upload(appID int64, docType string, content []byte) (int, string) {
	cl.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("doc_type", docType)
	fw, _ := mw.CreateFormFile("file", docType+".pdf")
	_, _ = fw.Write(content)
	mw.Close()
	h := http.Header{"X-CSRF-Token": {cl.csrf}}
	resp, text := apptest.Do(cl.t, cl.c, "POST", fmt.Sprintf("%s/api/v1/my/applications/%d/documents", cl.s.URL, appID), mw.FormDataContentType(), buf.String(), h)
	return resp.StatusCode, text
}

func citizen(t *testing.T, s *apptest.Server, phone string) *client {
	t.Helper()
	c := s.Client()
	_, page := apptest.Get(t, c, s.URL+"/masuk")
	token := csrfInput.FindStringSubmatch(page)[1]
	resp, body := apptest.Do(t, c, "POST", s.URL+"/masuk/warga", "application/x-www-form-urlencoded",
		url.Values{"csrf_token": {token}, "phone": {phone}}.Encode(), nil)
	if resp.StatusCode >= 400 {
		t.Fatalf("request code = %d %.300s", resp.StatusCode, body)
	}
	s.RunJobs(t)
	msgs := s.Outbox.Messages()
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[len(msgs)-1].Body)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		token = m[1]
	}
	resp, body = apptest.Do(t, c, "POST", s.URL+"/masuk/warga/kode", "application/x-www-form-urlencoded",
		url.Values{"csrf_token": {token}, "phone": {phone}, "code": {code}}.Encode(), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify code = %d %.400s", resp.StatusCode, body)
	}
	_, page = apptest.Get(t, c, s.URL+"/akun")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the account page")
	}
	u, _ := url.Parse(s.URL)
	ok := false
	for _, ck := range c.Jar.Cookies(u) {
		ok = ok || ck.Name == web.SessionCookie
	}
	if !ok {
		t.Fatal("no session")
	}
	return &client{t: t, s: s, c: c, csrf: m[1]}
}

// officerPassword is the password of the officers tests create.
const officerPassword = "officer-password-2026"

func staff(t *testing.T, s *apptest.Server, username, unit string, roles ...string) *client {
	t.Helper()
	const pw = officerPassword
	if _, err := s.App.Deps.Auth.CreateStaff(context.Background(), nil, auth.NewStaff{Username: username, UnitCode: unit, Password: pw, Roles: roles}); err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	cl := &client{t: t, s: s, c: s.Client()}
	code, body := cl.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": pw})
	if code != 200 {
		t.Fatalf("login %s = %d %v", username, code, body)
	}
	cl.token = body["token"].(string)
	return cl
}

func mustCode(t *testing.T, what string, got, want int, body map[string]any) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %d, want %d: %v", what, got, want, body)
	}
}

func stageStatus(body map[string]any, code string) string {
	for _, s := range body["stages"].([]any) {
		m := s.(map[string]any)
		if m["code"] == code {
			return m["status"].(string)
		}
	}
	return ""
}

// apply creates, documents and submits an application, answering its id
// and number.
func apply(t *testing.T, cit *client, service string, fields map[string]string, docs []string) (int64, string) {
	t.Helper()
	code, body := cit.do("POST", "/api/v1/applications", map[string]any{"service_code": service, "nik": "5371014507900001",
		"kelurahan_code": "53.71.01.1001", "fields": fields})
	mustCode(t, "create "+service, code, 201, body)
	id := int64(body["id"].(float64))
	for _, d := range docs {
		if c, text := cit.upload(id, d, []byte(minimalPDF)); c != 201 {
			t.Fatalf("upload %s = %d %s", d, c, text)
		}
	}
	code, body = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/submit", id), nil)
	mustCode(t, "submit "+service, code, 200, body)
	return id, body["number"].(string)
}

func TestPKKPRThenPBGEndToEnd(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cit := citizen(t, s, "081234567890")
	pupr := staff(t, s, "pupr.officer", "pupr", "officer")
	puprSup := staff(t, s, "pupr.supervisor", "pupr", "supervisor")
	bpn := staff(t, s, "bpn.officer", "bpn", "officer")
	tpa := staff(t, s, "tpa.officer", "tpa-tpt", "officer")
	ptsp := staff(t, s, "ptsp.officer", "dpmptsp", "officer")

	// The catalog lists both permits.
	code, body := (&client{t: t, s: s, c: s.Client()}).do("GET", "/api/v1/services", nil)
	mustCode(t, "catalog", code, 200, body)
	var codes []string
	for _, sv := range body["services"].([]any) {
		codes = append(codes, sv.(map[string]any)["code"].(string))
	}
	if !strings.Contains(strings.Join(codes, ","), "pkkpr") || !strings.Contains(strings.Join(codes, ","), "pbg") || len(codes) < 12 {
		t.Fatalf("catalog codes = %v", codes)
	}

	// Invalid NIK is explained.
	code, body = cit.do("POST", "/api/v1/applications", map[string]any{"service_code": "pkkpr", "nik": "5371013202900001",
		"kelurahan_code": "53.71.01.1001", "fields": map[string]string{}})
	mustCode(t, "bad NIK", code, 422, body)
	if !strings.Contains(fmt.Sprint(body), "nik") {
		t.Fatalf("bad NIK body = %v", body)
	}

	pkkprFields := map[string]string{"parcel": "NIB-24.05.01.001", "lokasi": "Jl. Frans Seda, Oebobo", "luas_tanah": "450", "kegiatan": "Rumah tinggal"}
	// Missing documents block submission with a checklist.
	code, body = cit.do("POST", "/api/v1/applications", map[string]any{"service_code": "pkkpr", "nik": "5371014507900001",
		"kelurahan_code": "53.71.01.1001", "fields": pkkprFields})
	mustCode(t, "create", code, 201, body)
	draft := int64(body["id"].(float64))
	code, body = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/submit", draft), nil)
	mustCode(t, "incomplete submit", code, 422, body)
	if _, ok := body["error"].(map[string]any)["checklist"]; !ok {
		t.Fatalf("no checklist: %v", body)
	}
	// A text file is refused as a document.
	if c, text := cit.upload(draft, "ktp", []byte("hello, not a pdf")); c != http.StatusUnsupportedMediaType {
		t.Fatalf("text upload = %d %s", c, text)
	}

	_, pkkpr := apply(t, cit, "pkkpr", pkkprFields, []string{"ktp", "bukti_tanah", "proposal"})

	// Public status with the last four digits.
	anon := &client{t: t, s: s, c: s.Client()}
	code, body = anon.do("GET", "/api/v1/applications/"+pkkpr+"?phone_last4=7890", nil)
	mustCode(t, "public status", code, 200, body)
	if stageStatus(body, "pemeriksaan_dokumen") != "active" {
		t.Fatalf("status = %v", body)
	}
	if code, _ := anon.do("GET", "/api/v1/applications/"+pkkpr+"?phone_last4=0000", nil); code != 404 {
		t.Fatalf("wrong digits = %d", code)
	}

	act := func(cl *client, number, stage string, in map[string]any) (int, map[string]any) {
		return cl.do("POST", "/api/v1/files/"+number+"/stages/"+stage, in)
	}
	// BPN cannot act on PUPR's stage; nothing changes.
	code, body = act(bpn, pkkpr, "pemeriksaan_dokumen", map[string]any{"action": "approve", "data": map[string]string{"pnbp_amount": "100000"}})
	mustCode(t, "foreign stage", code, 403, body)

	// PUPR returns the file for revision.
	code, body = act(pupr, pkkpr, "pemeriksaan_dokumen", map[string]any{"action": "return", "note": "Proposal belum memuat gambar lokasi."})
	mustCode(t, "return", code, 200, body)
	code, body = cit.do("GET", "/api/v1/applications/"+pkkpr+"?phone_last4=7890", nil)
	if body["status"] != "revision" || !strings.Contains(fmt.Sprint(body["stages"]), "gambar lokasi") {
		t.Fatalf("after return: %d %v", code, body)
	}
	// Acting on a returned stage is a conflict.
	code, body = act(pupr, pkkpr, "pemeriksaan_dokumen", map[string]any{"action": "approve", "data": map[string]string{"pnbp_amount": "1"}})
	mustCode(t, "act on returned", code, 409, body)
	// The applicant fixes the proposal and resubmits.
	var pkkprID int64
	_, mine := cit.do("GET", "/api/v1/my/applications", nil)
	for _, a := range mine["applications"].([]any) {
		if a.(map[string]any)["number"] == pkkpr {
			pkkprID = int64(a.(map[string]any)["id"].(float64))
		}
	}
	if c, text := cit.upload(pkkprID, "proposal", []byte(minimalPDF+"% revised\n")); c != 201 {
		t.Fatalf("re-upload = %d %s", c, text)
	}
	code, body = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/submit", pkkprID), nil)
	mustCode(t, "resubmit", code, 200, body)
	if body["revision"].(float64) != 2 {
		t.Fatalf("revision = %v", body["revision"])
	}

	// Two officers race on the same stage version: exactly one wins.
	_, file := pupr.do("GET", "/api/v1/files/"+pkkpr, nil)
	var version float64
	for _, st := range file["stages"].([]any) {
		if st.(map[string]any)["code"] == "pemeriksaan_dokumen" {
			version = st.(map[string]any)["version"].(float64)
		}
	}
	approve := map[string]any{"action": "approve", "data": map[string]string{"pnbp_amount": "250000"}, "version": version}
	// Both requests are in flight at once; whichever commits first wins
	// and the other sees the stage already moved on.
	var c1, c2 int
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c1, _ = act(pupr, pkkpr, "pemeriksaan_dokumen", approve) }()
	go func() { defer wg.Done(); c2, _ = act(puprSup, pkkpr, "pemeriksaan_dokumen", approve) }()
	wg.Wait()
	if !(c1 == 200 && c2 == 409) && !(c1 == 409 && c2 == 200) {
		t.Fatalf("race: %d and %d, want one 200 and one 409", c1, c2)
	}
	// The PNBP bill is paid by the bank callback.
	_, file = cit.do("GET", fmt.Sprintf("/api/v1/my/applications/%d", pkkprID), nil)
	bill := file["bills"].([]any)[0].(map[string]any)
	plain, _, err := s.App.Deps.Auth.CreateAPIKey(context.Background(), nil, "Bank NTT", []string{"bank"})
	if err != nil {
		t.Fatal(err)
	}
	bank := &client{t: t, s: s, c: s.Client(), token: plain}
	code, body = bank.do("POST", "/api/v1/payments/callback", map[string]any{"bill_number": bill["number"], "amount": bill["amount"], "reference": "NTT-001"})
	mustCode(t, "bank callback", code, 200, body)
	code, _ = bank.do("POST", "/api/v1/payments/callback", map[string]any{"bill_number": bill["number"], "amount": bill["amount"], "reference": "NTT-001"})
	mustCode(t, "callback repeat", code, 200, nil)

	// Land consideration and technical review run in parallel.
	_, body = anon.do("GET", "/api/v1/applications/"+pkkpr+"?phone_last4=7890", nil)
	if stageStatus(body, "pertimbangan_teknis_pertanahan") != "active" || stageStatus(body, "kajian_teknis") != "active" {
		t.Fatalf("parallel stages not active: %v", body["stages"])
	}
	// Approving without the required record is refused.
	code, body = act(bpn, pkkpr, "pertimbangan_teknis_pertanahan", map[string]any{"action": "approve"})
	mustCode(t, "approve without data", code, 422, body)
	code, body = act(bpn, pkkpr, "pertimbangan_teknis_pertanahan", map[string]any{"action": "approve",
		"data": map[string]string{"nomor_ptp": "PTP/53.71/2026/14", "kesimpulan_ptp": "dapat_dipertimbangkan"}})
	mustCode(t, "ptp", code, 200, body)
	code, body = act(pupr, pkkpr, "kajian_teknis", map[string]any{"action": "approve", "data": map[string]string{"catatan_kajian": "Sesuai RDTR zona R-2."}})
	mustCode(t, "kajian", code, 200, body)
	code, body = act(puprSup, pkkpr, "forum_penataan_ruang", map[string]any{"action": "approve", "data": map[string]string{"nomor_berita_acara_fpr": "BA-FPR/2026/07"}})
	mustCode(t, "fpr", code, 200, body)
	code, body = act(ptsp, pkkpr, "penerbitan", map[string]any{"action": "approve"})
	mustCode(t, "issue pkkpr", code, 200, body)
	if body["status"] != "completed" {
		t.Fatalf("pkkpr status = %v", body["status"])
	}
	// Acting on a closed file is a conflict.
	code, _ = act(ptsp, pkkpr, "penerbitan", map[string]any{"action": "approve"})
	mustCode(t, "act on closed", code, 409, nil)

	// A PBG for another parcel is refused with the reason.
	pbgFields := map[string]string{"parcel": "NIB-OTHER", "pkkpr_number": pkkpr, "lokasi": "Jl. Frans Seda, Oebobo", "fungsi": "hunian_sederhana",
		"luas_bangunan": "100", "jumlah_lantai": "1"}
	code, body = cit.do("POST", "/api/v1/applications", map[string]any{"service_code": "pbg", "nik": "5371014507900001",
		"kelurahan_code": "53.71.01.1001", "fields": pbgFields})
	mustCode(t, "create pbg", code, 201, body)
	wrong := int64(body["id"].(float64))
	for _, d := range []string{"ktp", "gambar_arsitektur", "gambar_struktur"} {
		cit.upload(wrong, d, []byte(minimalPDF))
	}
	code, body = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/submit", wrong), nil)
	mustCode(t, "pbg other parcel", code, 422, body)
	if !strings.Contains(fmt.Sprint(body), "pkkpr_number") {
		t.Fatalf("refusal does not name the PKKPR: %v", body)
	}

	pbgFields["parcel"] = "NIB-24.05.01.001"
	pbgID, pbg := apply(t, cit, "pbg", pbgFields, []string{"ktp", "gambar_arsitektur", "gambar_struktur"})
	want200(t, "registrasi")(act(ptsp, pbg, "registrasi", map[string]any{"action": "approve"}))
	want200(t, "tpa")(act(tpa, pbg, "konsultasi_teknis", map[string]any{"action": "approve",
		"data": map[string]string{"nomor_berita_acara": "BA-TPT/2026/031", "tanggal_berita_acara": "2026-12-04"}}))
	want200(t, "sppst")(act(puprSup, pbg, "sppst", map[string]any{"action": "approve", "data": map[string]string{"nomor_sppst": "SPPST/2026/031"}}))
	want200(t, "retribusi")(act(pupr, pbg, "penilaian_retribusi", map[string]any{"action": "approve",
		"data": map[string]string{"kompleksitas": "sederhana", "permanensi": "permanen", "kepemilikan": "perorangan", "jenis_pekerjaan": "baru"}}))
	_, file = cit.do("GET", fmt.Sprintf("/api/v1/my/applications/%d", pbgID), nil)
	skrd := file["bills"].([]any)[0].(map[string]any)
	// The SKRD equals the calculator's answer for the same inputs.
	code, calc := anon.do("POST", "/api/v1/pbg/retribution", map[string]any{"area": 100, "function": "hunian_sederhana", "complexity": "sederhana",
		"permanence": "permanen", "floors": 1, "ownership": "perorangan", "building": "baru"})
	mustCode(t, "calculator", code, 200, calc)
	if skrd["amount"] != calc["amount"] || skrd["kind"] != "skrd" {
		t.Fatalf("SKRD %v vs calculator %v", skrd, calc)
	}
	// The officer records the payment.
	code, body = ptsp.do("POST", "/api/v1/bills/"+skrd["number"].(string)+"/payments", map[string]any{"amount": skrd["amount"], "reference": "KAS-77"})
	mustCode(t, "officer payment", code, 200, body)
	want200(t, "issue pbg")(act(ptsp, pbg, "penerbitan", map[string]any{"action": "approve"}))

	// The signed PDF verifies; a tampered copy does not.
	resp, pdf := apptest.Do(t, cit.c, "GET", fmt.Sprintf("%s/api/v1/my/applications/%d/document", s.URL, pbgID), "", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("document = %d", resp.StatusCode)
	}
	docNumber := "S-" + pbg
	resp, page := apptest.Get(t, anon.c, s.URL+"/verify/"+docNumber)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="verify-signature"`) || !strings.Contains(page, "sah") {
		t.Fatalf("verify page = %d %.500s", resp.StatusCode, page)
	}
	check := func(content string) string {
		_, page := apptest.Get(t, anon.c, s.URL+"/verify/"+docNumber)
		token := csrfInput.FindStringSubmatch(page)[1]
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("csrf_token", token)
		fw, _ := mw.CreateFormFile("pdf", "doc.pdf")
		_, _ = io.WriteString(fw, content)
		mw.Close()
		_, out := apptest.Do(t, anon.c, "POST", s.URL+"/verify/"+docNumber, mw.FormDataContentType(), buf.String(), nil)
		return out
	}
	if out := check(pdf); !strings.Contains(out, "sama persis") {
		t.Fatalf("original PDF not recognised: %.800s", out)
	}
	b := []byte(pdf)
	b[len(b)/2] ^= 0x01 // one flipped bit anywhere is a different document
	tampered := string(b)
	if out := check(tampered); !strings.Contains(out, "TIDAK sama") {
		t.Fatalf("tampered PDF not detected: %.800s", out)
	}
	resp, page = apptest.Get(t, anon.c, s.URL+"/verify/S-NOPE-2026-000001")
	if resp.StatusCode != 404 || !strings.Contains(page, "tidak dikenal") {
		t.Fatalf("unknown number = %d", resp.StatusCode)
	}

	// IKM survey, once.
	scores := map[string]any{"scores": []int{4, 4, 3, 4, 4, 3, 4, 3, 4}}
	code, body = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/survey", pbgID), scores)
	mustCode(t, "survey", code, 201, body)
	code, _ = cit.do("POST", fmt.Sprintf("/api/v1/my/applications/%d/survey", pbgID), scores)
	mustCode(t, "survey twice", code, 409, nil)
	code, body = anon.do("GET", "/api/v1/services-stats", nil)
	mustCode(t, "stats", code, 200, body)
	if len(body["ikm_by_service"].([]any)) != 1 {
		t.Fatalf("ikm = %v", body["ikm_by_service"])
	}
	// The applicant was notified at the changes.
	if n := len(s.Outbox.Messages()); n < 2 {
		s.RunJobs(t)
	}
	s.RunJobs(t)
	found := false
	for _, msg := range s.Outbox.Messages() {
		found = found || strings.Contains(msg.Body, pbg)
	}
	if !found {
		t.Fatal("no notification mentions the PBG file")
	}
}

// want200 checks a call's answer: want200(t, "what")(cl.do(...)).
func want200(t *testing.T, what string) func(int, map[string]any) {
	return func(code int, body map[string]any) {
		t.Helper()
		mustCode(t, what, code, 200, body)
	}
}
