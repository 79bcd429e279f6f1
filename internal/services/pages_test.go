package services_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// postForm sends a multipart form (files keyed by field name) as the
// client: citizens with their session's CSRF token, staff with their
// bearer token.
func (cl *client) postForm(path string, values map[string]string, files map[string][]byte) (*http.Response, string) {
	cl.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if cl.csrf != "" {
		_ = mw.WriteField("csrf_token", cl.csrf)
	}
	for k, v := range values {
		_ = mw.WriteField(k, v)
	}
	for k, b := range files {
		fw, _ := mw.CreateFormFile(k, k+".pdf")
		_, _ = fw.Write(b)
	}
	mw.Close()
	h := http.Header{}
	if cl.token != "" {
		h.Set("Authorization", "Bearer "+cl.token)
	}
	return apptest.Do(cl.t, cl.c, "POST", cl.s.URL+path, mw.FormDataContentType(), buf.String(), h)
}

func (cl *client) page(path string) (*http.Response, string) {
	cl.t.Helper()
	h := http.Header{}
	if cl.token != "" {
		h.Set("Authorization", "Bearer "+cl.token)
	}
	return apptest.Do(cl.t, cl.c, "GET", cl.s.URL+path, "", "", h)
}

// wantRedirect checks a form post's answer is the 303 after success:
// wantRedirect(t, "what")(cl.postForm(...)) answers the location.
func wantRedirect(t *testing.T, what string) func(*http.Response, string) string {
	return func(resp *http.Response, body string) string {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s = %d, want 303: %.1500s", what, resp.StatusCode, body)
		}
		return resp.Header.Get("Location")
	}
}

var fileStatus = regexp.MustCompile(`id="file-status" data-status="([a-z_]+)"`)

func statusOn(page string) string {
	if m := fileStatus.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// TestCitizenAndOfficerPages walks a PKKPR through the HTML pages only:
// apply with a field error, then with documents; an officer returns it
// with a note; the citizen fixes and resubmits; the officer approves;
// the bill is paid on the file page.
func TestCitizenAndOfficerPages(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cit := citizen(t, s, "081234567890")
	pupr := staff(t, s, "pupr.officer", "pupr", "officer")
	ptsp := staff(t, s, "ptsp.officer", "dpmptsp", "officer")

	resp, page := cit.page("/layanan/ajukan/pkkpr")
	if resp.StatusCode != 200 || !strings.Contains(page, `name="luas_tanah"`) || !strings.Contains(page, `name="doc_bukti_tanah"`) {
		t.Fatalf("apply form = %d %.800s", resp.StatusCode, page)
	}
	// Staff do not apply.
	if resp, _ := pupr.page("/layanan/ajukan/pkkpr"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("officer apply form = %d", resp.StatusCode)
	}
	fields := map[string]string{"nik": "5371014507900001", "kelurahan_code": "53.71.01.1001", "parcel": "NIB-9", "lokasi": "Jl. El Tari",
		"luas_tanah": "banyak", "kegiatan": "Toko"}
	resp, page = cit.postForm("/layanan/ajukan/pkkpr", fields, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-luas_tanah"`) || !strings.Contains(page, `value="Jl. El Tari"`) {
		t.Fatalf("field error = %d %.2000s", resp.StatusCode, page)
	}
	// Without documents the draft is kept and the checklist says why.
	fields["luas_tanah"] = "300"
	resp, page = cit.postForm("/layanan/ajukan/pkkpr", fields, map[string][]byte{"doc_ktp": []byte(minimalPDF)})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="checklist"`) || statusOn(page) != "draft" {
		t.Fatalf("incomplete = %d %.2000s", resp.StatusCode, page)
	}
	draftURL := regexp.MustCompile(`action="(/layanan/saya/\d+)"`).FindStringSubmatch(page)[1]
	// A text file is refused with the accepted formats.
	resp, page = cit.postForm(draftURL, map[string]string{}, map[string][]byte{"doc_proposal": []byte("not a pdf")})
	if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(page, `id="e-doc_proposal"`) {
		t.Fatalf("bad upload = %d %.2000s", resp.StatusCode, page)
	}
	loc := wantRedirect(t, "complete")(cit.postForm(draftURL, map[string]string{}, map[string][]byte{"doc_proposal": []byte(minimalPDF), "doc_bukti_tanah": []byte(minimalPDF)}))
	if loc != draftURL {
		t.Fatalf("redirect to %s, want %s", loc, draftURL)
	}
	_, page = cit.page(draftURL)
	number := regexp.MustCompile(`PKKPR-\d{4}-\d{6}`).FindString(page)
	if statusOn(page) != "in_progress" || number == "" {
		t.Fatalf("after submit: %.1500s", page)
	}
	resp, page = cit.page("/layanan/saya")
	if resp.StatusCode != 200 || !strings.Contains(page, number) {
		t.Fatalf("my list = %d", resp.StatusCode)
	}

	// The officer's queue lists it; the file page shows documents inline
	// and the action forms.
	resp, page = pupr.page("/layanan/petugas")
	if resp.StatusCode != 200 || !strings.Contains(page, number) {
		t.Fatalf("queue = %d %.1500s", resp.StatusCode, page)
	}
	resp, page = pupr.page("/layanan/petugas/" + number)
	if resp.StatusCode != 200 || !strings.Contains(page, "/api/v1/files/"+number+"/uploads/") || !strings.Contains(page, `id="act-pemeriksaan_dokumen-return"`) {
		t.Fatalf("file page = %d %.2000s", resp.StatusCode, page)
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	// An officer of a unit without a stage in the file sees nothing.
	tpa := staff(t, s, "tpa.officer", "tpa-tpt", "officer")
	if resp, _ := tpa.page("/layanan/petugas/" + number); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("foreign file page = %d", resp.StatusCode)
	}
	act := "/layanan/petugas/" + number + "/tahap/pemeriksaan_dokumen"
	resp, page = pupr.postForm(act, map[string]string{"action": "return", "version": version}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "services.err_note_required") && !strings.Contains(page, "catatan") {
		t.Fatalf("return without note = %d %.1500s", resp.StatusCode, page)
	}
	wantRedirect(t, "return")(pupr.postForm(act, map[string]string{"action": "return", "version": version, "note": "Lampirkan gambar lokasi."}, nil))

	_, page = cit.page(draftURL)
	if statusOn(page) != "revision" || !strings.Contains(page, "Lampirkan gambar lokasi.") || !strings.Contains(page, `id="resubmit"`) {
		t.Fatalf("citizen after return: %.2500s", page)
	}
	wantRedirect(t, "resubmit")(cit.postForm(draftURL, map[string]string{"kegiatan": "Toko kelontong"}, map[string][]byte{"doc_proposal": []byte(minimalPDF + "% v2\n")}))
	_, page = cit.page(draftURL)
	if statusOn(page) != "in_progress" || !strings.Contains(page, "Toko kelontong") {
		t.Fatalf("after resubmit: %.1500s", page)
	}

	// A stale version is refused; the current one wins.
	resp, _ = pupr.postForm(act, map[string]string{"action": "approve", "version": version, "pnbp_amount": "150000"}, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale approve = %d", resp.StatusCode)
	}
	_, page = pupr.page("/layanan/petugas/" + number)
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	wantRedirect(t, "approve")(pupr.postForm(act, map[string]string{"action": "approve", "version": version, "pnbp_amount": "150000"}, nil))

	// The DPMPTSP officer records the PNBP payment on the file page.
	_, page = ptsp.page("/layanan/petugas/" + number)
	bill := regexp.MustCompile(`name="bill_number" value="([^"]+)"`).FindStringSubmatch(page)
	if bill == nil {
		t.Fatalf("no payment form: %.2500s", page)
	}
	resp, page = ptsp.postForm("/layanan/petugas/"+number+"/bayar", map[string]string{"bill_number": bill[1], "amount": "150000"}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-reference"`) {
		t.Fatalf("payment without reference = %d", resp.StatusCode)
	}
	wantRedirect(t, "pay")(ptsp.postForm("/layanan/petugas/"+number+"/bayar", map[string]string{"bill_number": bill[1], "amount": "150000", "reference": "KAS-1"}, nil))
	_, body := (&client{t: t, s: s, c: s.Client()}).do("GET", "/api/v1/applications/"+number+"?phone_last4=7890", nil)
	if stageStatus(body, "pembayaran_pnbp") != "done" || stageStatus(body, "kajian_teknis") != "active" {
		t.Fatalf("after payment: %v", body["stages"])
	}
	// Citizens cannot reach the officer pages.
	if resp, _ := cit.page("/layanan/petugas"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("citizen queue = %d", resp.StatusCode)
	}
}
