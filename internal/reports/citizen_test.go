package reports_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var sixDigits = regexp.MustCompile(`\b(\d{6})\b`)

// signInCitizen signs a resident in with a one-time code.
func signInCitizen(t *testing.T, b *browser, phone string) {
	t.Helper()
	b.get("/masuk?tab=warga")
	resp, body := b.post("/masuk/warga", url.Values{"phone": {phone}})
	if resp.StatusCode >= 400 {
		t.Fatalf("request code = %d\n%s", resp.StatusCode, tail(body))
	}
	b.s.RunJobs(t)
	var code string
	for _, m := range b.s.Outbox.Messages() {
		if c := sixDigits.FindStringSubmatch(m.Body); c != nil && strings.HasSuffix(m.To, strings.TrimPrefix(phone, "0")) {
			code = c[1]
		}
	}
	if code == "" {
		t.Fatal("no sign-in code sent")
	}
	resp, body = b.post("/masuk/warga/kode", url.Values{"phone": {phone}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify code = %d\n%s", resp.StatusCode, tail(body))
	}
	b.get("/lapor")
}

// A signed-in resident's report is linked to the account ("my reports"),
// its updates go to the account's number, and it is in the data export.
// A duplicate merged by the agency makes its reporter a follower of the
// original.
func TestSignedInCitizenAndMerge(t *testing.T) {
	s := start(t, true)
	citizen := newBrowser(t, s)
	signInCitizen(t, citizen, "081234567890")
	p := kelurahanCentroid(t, s, "53.71.04.1011")
	mine := report(t, citizen, map[string]any{"category": "drainase-banjir", "lat": p[0], "lon": p[1], "description": "Got tersumbat",
		"attributes": map[string]any{"tinggi_air_cm": 30}}, nil)
	_, page := citizen.get("/lapor/saya")
	if !strings.Contains(page, mine.TrackingCode) {
		t.Fatal("my report is not on /lapor/saya")
	}
	other := newBrowser(t, s)
	first := report(t, other, map[string]any{"category": "drainase-banjir", "lat": p[0] + 0.0005, "lon": p[1], "description": "Saluran mampet",
		"attributes": map[string]any{"tinggi_air_cm": 20}}, nil)
	officer := newStaff(t, s, "drainase.pupr", "pupr")
	resp, body := officer.post("/petugas/laporan/"+itoa(mine.ID)+"/gabung", url.Values{"target": {"#" + itoa(mine.ID)}})
	wantStatus(t, "merge into itself", resp, body, http.StatusUnprocessableEntity)
	resp, body = officer.post("/petugas/laporan/"+itoa(mine.ID)+"/gabung", url.Values{"target": {itoa(first.ID)}})
	wantStatus(t, "merge", resp, body, http.StatusSeeOther)
	v := track(t, citizen, mine.TrackingCode)
	if v.Status != "ditolak" || v.Timeline[len(v.Timeline)-1].Kind != "merged" {
		t.Fatalf("merged duplicate: %+v", v)
	}
	if resp, _ := citizen.get("/laporan/" + itoa(mine.ID)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the duplicate's public page = %d, want a redirect to the original", resp.StatusCode)
	}
	if v := track(t, other, first.TrackingCode); v.Supporters != 1 {
		t.Fatalf("the original has %d supporters", v.Supporters)
	}
	// The merged reporter hears about the original's progress.
	resp, body = officer.post("/petugas/laporan/"+itoa(first.ID)+"/tanggapan", url.Values{"catatan": {"Tim akan membersihkan saluran besok."}})
	wantStatus(t, "public update", resp, body, http.StatusSeeOther)
	s.RunJobs(t)
	m, ok := s.Outbox.Last("+6281234567890")
	if !ok || !strings.Contains(m.Body, "/laporan/"+itoa(first.ID)) || !strings.Contains(m.Body, "membersihkan") {
		t.Fatalf("follower message: %+v", m)
	}
	// The data export holds the report.
	resp, body = citizen.post("/akun/data", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, mine.TrackingCode) {
		t.Fatalf("export = %d, report missing", resp.StatusCode)
	}
}
