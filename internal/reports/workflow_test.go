package reports_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

var codePattern = regexp.MustCompile(`^LPR-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$`)

// A resident reports rubbish over the JSON API without an account; DLHK
// verifies, works on it and finishes it with a proof photo; the resident
// confirms and rates; every step is on the public timeline and reaches
// the resident's phone.
func TestReportLifecycle(t *testing.T) {
	s := start(t, true)
	resident := newBrowser(t, s)
	oesapa := kelurahanCentroid(t, s, "53.71.03.1010")
	c := report(t, resident, map[string]any{"category": "sampah-liar", "lat": oesapa[0], "lon": oesapa[1],
		"description": "Tumpukan sampah di depan gang <script>alert(1)</script>", "attributes": map[string]any{"volume": "besar"},
		"contact": map[string]any{"name": "Yohana", "phone": "0812 7777 1234"}}, http.Header{"Idempotency-Key": {"k-1"}})
	if !codePattern.MatchString(c.TrackingCode) || c.Agency != "dlhk" || c.Kelurahan != "53.71.03.1010" || c.Status != "diterima" {
		t.Fatalf("created %+v", c)
	}
	// A double tap (same Idempotency-Key) makes no second report.
	again := report(t, resident, map[string]any{"category": "sampah-liar", "lat": oesapa[0], "lon": oesapa[1], "description": "x",
		"attributes": map[string]any{"volume": "besar"}}, http.Header{"Idempotency-Key": {"k-1"}})
	if again.TrackingCode != c.TrackingCode {
		t.Fatalf("replay made %s, want %s", again.TrackingCode, c.TrackingCode)
	}
	s.RunJobs(t)
	if m, ok := s.Outbox.Last("+6281277771234"); !ok || !strings.Contains(m.Body, c.TrackingCode) {
		t.Fatalf("no receipt with the tracking code: %+v", m)
	}

	// The public view never shows the reporter; HTML stays text.
	resp, raw := resident.get("/api/v1/reports/" + c.TrackingCode)
	wantStatus(t, "tracking API", resp, raw, http.StatusOK)
	if strings.Contains(raw, "Yohana") || strings.Contains(raw, "7777") || strings.Contains(raw, "<script>") {
		t.Fatalf("public view leaks or is unescaped: %s", raw)
	}
	resp, page := resident.get("/lapor/" + strings.ToLower(c.TrackingCode))
	wantStatus(t, "tracking page", resp, page, http.StatusOK)
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("the description is not escaped on the tracking page")
	}

	// DLHK's officer sees it in the queue and works it.
	officer := signIn(t, s, "dlhk.officer", demoPassword)
	resp, q := officer.get("/petugas/laporan")
	wantStatus(t, "queue", resp, q, http.StatusOK)
	if !strings.Contains(q, `data-id="`+itoa(c.ID)+`"`) {
		t.Fatalf("report %d not in DLHK's queue", c.ID)
	}
	id := itoa(c.ID)
	resp, body := officer.get("/petugas/laporan/" + id)
	wantStatus(t, "detail", resp, body, http.StatusOK)
	// (html/template writes "+" as "&#43;".)
	if strings.Contains(body, "6281277771234") || !strings.Contains(body, "62812****1234") {
		t.Fatalf("the detail page must show the contact masked until revealed: %s", tail(body))
	}
	resp, body = officer.post("/petugas/laporan/"+id+"/kontak", nil)
	if !strings.Contains(body, "6281277771234") {
		t.Fatalf("revealed contact missing: %d", resp.StatusCode)
	}
	for _, step := range []struct{ action, note string }{{"verifikasi", "Akan dicek besok pagi."}, {"proses", ""}} {
		resp, body = officer.post("/petugas/laporan/"+id+"/"+step.action, url.Values{"catatan": {step.note}})
		wantStatus(t, step.action, resp, body, http.StatusSeeOther)
	}
	// Done needs a proof photo.
	resp, body = officer.postMultipart("/petugas/laporan/"+id+"/selesai", url.Values{"catatan": {"Sudah diangkut."}})
	wantStatus(t, "done without proof", resp, body, http.StatusUnprocessableEntity)
	resp, body = officer.postMultipart("/petugas/laporan/"+id+"/selesai", url.Values{"catatan": {"Sudah diangkut."}},
		upload{"foto", "bukti.png", pngPhoto(t, 1)})
	wantStatus(t, "done", resp, body, http.StatusSeeOther)

	v := track(t, resident, c.TrackingCode)
	if v.Status != "selesai" {
		t.Fatalf("status %s after done", v.Status)
	}
	var kinds []string
	var proof string
	for _, e := range v.Timeline {
		kinds = append(kinds, e.Kind)
		if e.Kind == "done" && len(e.Photos) == 1 {
			proof = e.Photos[0]
		}
	}
	if strings.Join(kinds, ",") != "created,verified,progress,done" || proof == "" {
		t.Fatalf("timeline %v, proof %q", kinds, proof)
	}
	resp, img := resident.get(proof)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || len(img) < 100 {
		t.Fatalf("proof photo = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if r2, _ := resident.get(proof[:len(proof)-4] + "0000"); r2.StatusCode != http.StatusNotFound {
		t.Fatal("a photo URL with a wrong signature must not open")
	}
	s.RunJobs(t)
	if m, ok := s.Outbox.Last("+6281277771234"); !ok || !strings.Contains(m.Body, "Selesai") {
		t.Fatalf("no notification of done: %+v", m)
	}

	// The resident confirms and rates.
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/konfirmasi", nil)
	wantStatus(t, "confirm", resp, body, http.StatusSeeOther)
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/nilai", url.Values{"nilai": {"5"}, "komentar": {"Cepat, terima kasih!"}})
	wantStatus(t, "rate", resp, body, http.StatusSeeOther)
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/nilai", url.Values{"nilai": {"1"}})
	wantStatus(t, "rate twice", resp, body, http.StatusConflict)
	if v := track(t, resident, c.TrackingCode); v.Status != "ditutup" || v.Timeline[len(v.Timeline)-1].Kind != "rated" {
		t.Fatalf("after rating: %+v", v)
	}
}

// Security reports go to the Polsek of the kecamatan, are confidential
// by default, never appear in public lists, and other units cannot open
// them.
func TestSecurityReportRouting(t *testing.T) {
	s := start(t, true)
	resident := newBrowser(t, s)
	alak := kelurahanCentroid(t, s, "53.71.01.1008")
	c := report(t, resident, map[string]any{"category": "pencurian", "lat": alak[0], "lon": alak[1], "description": "Motor hilang",
		"attributes": map[string]any{"waktu_kejadian": "2026-12-03T22:00"}}, nil)
	if c.Agency != "polsek-alak" {
		t.Fatalf("theft in Alak routed to %s", c.Agency)
	}
	penfui := kelurahanCentroid(t, s, "53.71.02.1003")
	c2 := report(t, resident, map[string]any{"category": "perkelahian", "lat": penfui[0], "lon": penfui[1], "description": "Tawuran",
		"attributes": map[string]any{"masih_berlangsung": "ya"}}, nil)
	if c2.Agency != "polsek-maulafa" {
		t.Fatalf("fight in Penfui routed to %s", c2.Agency)
	}
	if v := track(t, resident, c.TrackingCode); v.Privacy != "confidential" {
		t.Fatalf("privacy %s", v.Privacy)
	}
	_, list := resident.get("/api/v1/reports?kategori=pencurian")
	if strings.Contains(list, `"id":`+itoa(c.ID)+`,`) {
		t.Fatal("a confidential report is in the public list")
	}
	if resp, _ := resident.get("/laporan/" + itoa(c.ID)); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("public page of a confidential report = %d", resp.StatusCode)
	}
	police := signIn(t, s, "polsek.alak", demoPassword)
	if resp, body := police.get("/petugas/laporan/" + itoa(c.ID)); resp.StatusCode != http.StatusOK {
		t.Fatalf("Polsek Alak cannot open its report: %d %s", resp.StatusCode, tail(body))
	}
	if resp, _ := police.get("/petugas/laporan/" + itoa(c2.ID)); resp.StatusCode != http.StatusNotFound {
		t.Fatal("Polsek Alak opened Polsek Maulafa's report")
	}
	dlhk := signIn(t, s, "dlhk.officer", demoPassword)
	if resp, _ := dlhk.get("/petugas/laporan/" + itoa(c.ID)); resp.StatusCode != http.StatusNotFound {
		t.Fatal("DLHK opened a police report")
	}
	// Transfer (disposisi) with a reason goes to the history.
	resp, body := police.post("/petugas/laporan/"+itoa(c.ID)+"/alihkan", url.Values{"unit": {"satpolpp"}})
	wantStatus(t, "transfer without reason", resp, body, http.StatusUnprocessableEntity)
	resp, body = police.post("/petugas/laporan/"+itoa(c.ID)+"/alihkan", url.Values{"unit": {"satpolpp"}, "catatan": {"Ketertiban umum, bukan pidana."}})
	wantStatus(t, "transfer", resp, body, http.StatusSeeOther)
	v := track(t, resident, c.TrackingCode)
	last := v.Timeline[len(v.Timeline)-1]
	if v.Agency != "satpolpp" || v.Status != "didisposisikan" || last.Kind != "transferred" {
		t.Fatalf("after transfer: %+v", v)
	}
	// Fire goes to the fire service with the emergency numbers.
	resp, raw := resident.api(http.MethodPost, "/api/v1/reports", map[string]any{"category": "kebakaran", "lat": alak[0], "lon": alak[1],
		"description": "Api besar", "attributes": map[string]any{"ada_korban": "tidak"}}, nil)
	wantStatus(t, "fire", resp, raw, http.StatusCreated)
	var fire struct{ Agency, EmergencyNumbers string }
	_ = json.Unmarshal([]byte(strings.ReplaceAll(raw, "emergency_numbers", "EmergencyNumbers")), &fire)
	if fire.Agency != "damkar" || !strings.Contains(fire.EmergencyNumbers, "113") {
		t.Fatalf("fire report: %s", raw)
	}
}

func itoa(n int64) string { return strconvItoa(n) }

var _ = apptest.Quiet
