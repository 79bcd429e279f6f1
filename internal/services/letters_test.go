package services_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// domisiliFields are a complete surat keterangan domisili application
// from Namosain (53.71.01.1001).
var domisiliFields = map[string]string{"nik": "5371014507900001", "kelurahan_code": "53.71.01.1001", "keperluan": "Melamar kerja",
	"alamat": "Jl. Alak No. 5, RT 01/RW 02"}

var letterDocs = map[string][]byte{"doc_pengantar_rt": []byte(minimalPDF), "doc_ktp": []byte(minimalPDF), "doc_kk": []byte(minimalPDF)}

// applyDomisili applies through the pages and answers the file's page
// path and number.
func applyDomisili(t *testing.T, cit *client) (string, string) {
	t.Helper()
	path := wantRedirect(t, "apply domisili")(cit.postForm("/layanan/ajukan/domisili", domisiliFields, letterDocs))
	_, page := cit.page(path)
	number := regexp.MustCompile(`DOMISILI-\d{4}-\d{6}`).FindString(page)
	if number == "" || statusOn(page) != "in_progress" {
		t.Fatalf("domisili not submitted: %.1500s", page)
	}
	return path, number
}

func versionOf(t *testing.T, page, stage string) string {
	t.Helper()
	m := regexp.MustCompile(`id="act-` + stage + `-approve">\s*<input[^>]*>\s*<input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no approve form for %s: %.3000s", stage, page)
	}
	return m[1]
}

// TestKelurahanLetterToSignedPDF: the @kelurahan stages land at the
// applicant's kelurahan office, whose officer handles both; the citizen
// downloads the signed letter, which verifies, and answers the survey.
func TestKelurahanLetterToSignedPDF(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cit := citizen(t, s, "081234567890")
	kel := staff(t, s, "kel.namosain", "kel-53.71.01.1001", "officer")
	other := staff(t, s, "kel.oebobo", "kel-53.71.04.1001", "officer")
	path, number := applyDomisili(t, cit)

	resp, page := kel.page("/layanan/petugas")
	if resp.StatusCode != 200 || !strings.Contains(page, number) {
		t.Fatalf("kelurahan queue = %d", resp.StatusCode)
	}
	if _, page := other.page("/layanan/petugas"); strings.Contains(page, number) {
		t.Fatal("another kelurahan's queue lists the file")
	}
	if resp, _ := other.page("/layanan/petugas/" + number); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other kelurahan file page = %d", resp.StatusCode)
	}
	for _, stage := range []string{"verifikasi", "tanda_tangan_lurah"} {
		_, page := kel.page("/layanan/petugas/" + number)
		v := versionOf(t, page, stage)
		wantRedirect(t, stage)(kel.postForm("/layanan/petugas/"+number+"/tahap/"+stage, map[string]string{"action": "approve", "version": v}, nil))
	}
	_, page = cit.page(path)
	if statusOn(page) != "completed" || !strings.Contains(page, `id="download-pdf"`) || !strings.Contains(page, `id="survey-form"`) {
		t.Fatalf("completed page: %.3000s", page)
	}
	resp, pdf := cit.page(path + "/dokumen")
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") || !strings.Contains(resp.Header.Get("Content-Disposition"), "S-"+number) {
		t.Fatalf("document = %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	resp, page = (&client{t: t, s: s, c: s.Client()}).page("/verify/S-" + number)
	if resp.StatusCode != 200 || !strings.Contains(page, "Kelurahan Namosain") || !strings.Contains(page, `class="alert success" id="verify-signature"`) {
		t.Fatalf("verify = %d %.2000s", resp.StatusCode, page)
	}
	// Another citizen cannot fetch it.
	stranger := citizen(t, s, "081299990000")
	if resp, _ := stranger.page(path + "/dokumen"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("stranger's download = %d", resp.StatusCode)
	}

	// The IKM survey: a missing score is explained, then it is saved once.
	answers := map[string]string{"u1": "4", "u2": "4", "u3": "3", "u4": "4", "u5": "4", "u6": "3", "u7": "4", "u8": "3"}
	resp, page = cit.postForm(path+"/survei", answers, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-scores"`) {
		t.Fatalf("incomplete survey = %d", resp.StatusCode)
	}
	answers["u9"] = "4"
	wantRedirect(t, "survey")(cit.postForm(path+"/survei", answers, nil))
	if _, page = cit.page(path); strings.Contains(page, `id="survey-form"`) {
		t.Fatal("survey offered twice")
	}
	_, body := (&client{t: t, s: s, c: s.Client()}).do("GET", "/api/v1/services-stats", nil)
	if !strings.Contains(fmt.Sprint(body["ikm_by_unit"]), "kel-53.71.01.1001") {
		t.Fatalf("IKM by unit = %v", body["ikm_by_unit"])
	}
}

// TestEscalationNotifiesSupervisors: a stage past its SLA is escalated
// once and its unit's supervisors (and only they) get an e-mail.
func TestEscalationNotifiesSupervisors(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	mk := func(username, unit, email, role string) {
		if _, err := s.App.Deps.Auth.CreateStaff(ctx, nil, auth.NewStaff{Username: username, UnitCode: unit, Email: email,
			Password: "officer-password-2026", Roles: []string{role}}); err != nil {
			t.Fatal(err)
		}
	}
	mk("camat.alak", "kec-53.71.01", "camat.alak@kupangkota.go.id", "supervisor")
	mk("lurah.namosain", "kel-53.71.01.1001", "lurah.namosain@kupangkota.go.id", "supervisor")
	mk("camat.oebobo", "kec-53.71.04", "camat.oebobo@kupangkota.go.id", "supervisor")
	mk("kota.admin", "pemkot", "admin@kupangkota.go.id", "admin")
	cit := citizen(t, s, "081234567890")
	_, number := applyDomisili(t, cit)

	// Within the SLA nothing happens.
	s.RunJobs(t)
	if got := emailsAbout(s, number); len(got) != 0 {
		t.Fatalf("escalated too early: %v", got)
	}
	s.Clock.Advance(8 * 24 * time.Hour)
	s.RunJobs(t)
	s.RunJobs(t) // sends what the escalation queued
	got := emailsAbout(s, number)
	want := map[string]bool{"camat.alak@kupangkota.go.id": true, "lurah.namosain@kupangkota.go.id": true}
	if len(got) != len(want) {
		t.Fatalf("escalation e-mails to %v, want %v", got, want)
	}
	for _, to := range got {
		if !want[to] {
			t.Fatalf("escalation e-mail to %s, want only %v", to, want)
		}
	}
	// Escalation happens once per stage.
	s.Clock.Advance(time.Hour)
	s.RunJobs(t)
	s.RunJobs(t)
	if again := emailsAbout(s, number); len(again) != len(got) {
		t.Fatalf("escalated twice: %v", again)
	}
	// The supervisor sees the breach on the queue page.
	sup := &client{t: t, s: s, c: s.Client()}
	code, body := sup.do("POST", "/api/v1/auth/login", map[string]string{"username": "camat.alak", "password": "officer-password-2026"})
	mustCode(t, "login", code, 200, body)
	sup.token = body["token"].(string)
	_, page := sup.page("/layanan/petugas")
	if !strings.Contains(page, `id="breaches"`) || !strings.Contains(page, number) {
		t.Fatalf("breach not listed: %.2000s", page)
	}
}

func emailsAbout(s *apptest.Server, number string) []string {
	var out []string
	for _, m := range s.Outbox.Messages() {
		if m.Channel == "email" && strings.Contains(m.Body, number) {
			out = append(out, m.To)
		}
	}
	return out
}
