package reports_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

func reportCount(t *testing.T, s *apptest.Server) int {
	t.Helper()
	var n int
	if err := s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Text PostgreSQL's text type cannot hold (a NUL byte, invalid UTF-8) is
// bad input on every channel: a precise 4xx, never a 500, nothing
// written — on both engines.
func TestTextTheDatabaseCannotStore(t *testing.T) {
	s := start(t, false)
	ctx := context.Background()
	key, _, _ := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "o311", []string{"open311"})
	gw, _, _ := s.App.Deps.Auth.CreateAPIKey(ctx, nil, "gw", []string{"gateway"})
	b := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.04.1011")
	before := reportCount(t, s)

	// JSON API.
	for field, body := range map[string]map[string]any{
		"description": {"category": "tps-penuh", "lat": p[0], "lon": p[1], "description": "TPS penuh\x00"},
		"address":     {"category": "tps-penuh", "lat": p[0], "lon": p[1], "description": "TPS penuh", "address": "Jl. A\x00"},
		"contact.name": {"category": "tps-penuh", "lat": p[0], "lon": p[1], "description": "TPS penuh",
			"contact": map[string]any{"name": "Ani\x00", "phone": "081234567890"}},
	} {
		// The platform refuses it while decoding, naming the field.
		resp, raw := b.api(http.MethodPost, "/api/v1/reports", body, nil)
		wantStatus(t, "NUL in "+field, resp, raw, http.StatusBadRequest)
		if !strings.Contains(raw, `"`+field+`"`) {
			t.Errorf("NUL in %s: the error does not name the field: %s", field, raw)
		}
	}
	// Open311 POST requests and servicerequestupdates.
	o := open311Client{t: t, base: s.URL + "/open311/v2", c: &http.Client{Timeout: 10 * time.Second}}
	base := url.Values{"api_key": {key}, "service_code": {"tps-penuh"}, "address_id": {"53.71.04.1011"}, "description": {"TPS penuh"}}
	for _, bad := range []struct{ k, v string }{{"description", "x\x00"}, {"description", "x\xff"}, {"account_id", "a\x00"},
		{"first_name", "\x00"}, {"media_url", "http://x/\x00"}} {
		f := url.Values{}
		for k, v := range base {
			f[k] = v
		}
		f.Set(bad.k, bad.v)
		resp, body := o.post("/requests.json", f)
		wantStatus(t, "Open311 "+bad.k+"="+strconvQuote(bad.v), resp, body, http.StatusBadRequest)
	}
	// Inbound gateway.
	for _, msg := range []string{`{"from":"081355556666","text":"Jalan rusak di Oeba \u0000","message_id":"n1"}`,
		`{"from":"081355556666","text":"Jalan rusak di Oeba","channel":"wa\u0000","message_id":"n2"}`} {
		resp, body := apptest.Do(t, b.c, http.MethodPost, s.URL+"/api/v1/inbound/message", "application/json", msg,
			http.Header{"Authorization": {"Bearer " + gw}})
		wantStatus(t, "inbound "+msg, resp, body, http.StatusBadRequest)
	}
	if n := reportCount(t, s); n != before {
		t.Fatalf("%d reports written by refused submissions", n-before)
	}

	// List filters.
	for _, path := range []string{"/api/v1/reports?kategori=%00", "/api/v1/reports?kelurahan=%FF&status=open", "/laporan?kategori=%00"} {
		resp, body := b.get(path)
		wantStatus(t, path, resp, body, http.StatusBadRequest)
	}

	// Follow-up text: an officer's note, an Open311 comment, the
	// reporter's reason to reopen.
	c := report(t, b, map[string]any{"category": "tps-penuh", "lat": p[0], "lon": p[1], "description": "TPS penuh"}, nil)
	officer := newStaff(t, s, "review.dlhk", "dlhk")
	resp, body := officer.get("/petugas/laporan?kategori=%00")
	wantStatus(t, "queue filter with NUL", resp, body, http.StatusBadRequest)
	for _, n := range []string{"catatan\x00", "catatan\xff"} {
		resp, body = officer.post("/petugas/laporan/"+itoa(c.ID)+"/catatan", url.Values{"catatan": {n}})
		wantStatus(t, "note "+strconvQuote(n), resp, body, http.StatusUnprocessableEntity)
	}
	resp, body = o.post("/servicerequestupdates.json", url.Values{"api_key": {key}, "service_request_id": {itoa(c.ID)},
		"status": {"OPEN"}, "description": {"masih penuh\x00"}})
	wantStatus(t, "Open311 update with NUL", resp, body, http.StatusBadRequest)
	resp, body = officer.postMultipart("/petugas/laporan/"+itoa(c.ID)+"/selesai", url.Values{"catatan": {"Sudah diangkut."}},
		upload{"foto", "bukti.png", pngPhoto(t, 3)})
	wantStatus(t, "done", resp, body, http.StatusSeeOther)
	resp, body = b.post("/lapor/"+c.TrackingCode+"/buka-kembali", url.Values{"alasan": {"masih penuh\x00"}})
	wantStatus(t, "reopen with NUL", resp, body, http.StatusConflict)
	if v := track(t, b, c.TrackingCode); v.Status != "selesai" {
		t.Fatalf("status after refused reopen: %s", v.Status)
	}
}

func strconvQuote(s string) string { j, _ := json.Marshal(s); return string(j) }

// A report the public can join ("me too") must not be merged into a
// confidential one: its supporters would become followers of the
// confidential report and receive its status and public updates.
func TestMergeNeverExposesAConfidentialReport(t *testing.T) {
	s := start(t, true)
	resident := newBrowser(t, s)
	alak := kelurahanCentroid(t, s, "53.71.01.1008")
	secret := report(t, resident, map[string]any{"category": "pencurian", "lat": alak[0], "lon": alak[1], "description": "Motor hilang",
		"attributes": map[string]any{"waktu_kejadian": "2026-12-03T22:00"}}, nil)
	if v := track(t, resident, secret.TrackingCode); v.Privacy != "confidential" {
		t.Fatalf("privacy %s", v.Privacy)
	}
	public := report(t, newBrowser(t, s), map[string]any{"category": "pencurian", "privacy": "public", "lat": alak[0], "lon": alak[1],
		"description": "Ada pencurian motor di gang", "attributes": map[string]any{"waktu_kejadian": "2026-12-03T22:00"}}, nil)
	stranger := newBrowser(t, s)
	resp, raw := stranger.api(http.MethodPost, "/api/v1/reports/"+itoa(public.ID)+"/support", map[string]any{"phone": "081377778888"}, nil)
	wantStatus(t, "me too", resp, raw, http.StatusOK)

	police := signIn(t, s, "polsek.alak", demoPassword)
	resp, body := police.post("/petugas/laporan/"+itoa(public.ID)+"/gabung", url.Values{"target": {itoa(secret.ID)}})
	wantStatus(t, "merge a public report into a confidential one", resp, body, http.StatusUnprocessableEntity)
	resp, body = police.post("/petugas/laporan/"+itoa(secret.ID)+"/tanggapan", url.Values{"catatan": {"Pelaku sudah teridentifikasi."}})
	wantStatus(t, "public update", resp, body, http.StatusSeeOther)
	s.RunJobs(t)
	for _, m := range s.Outbox.Messages() {
		if m.To == "+6281377778888" && strings.Contains(m.Body, "teridentifikasi") {
			t.Fatalf("a stranger was told about a confidential report: %+v", m)
		}
	}
	// The other way round is allowed: the confidential reporter follows
	// the public report.
	resp, body = police.post("/petugas/laporan/"+itoa(secret.ID)+"/gabung", url.Values{"target": {itoa(public.ID)}})
	wantStatus(t, "merge a confidential report into a public one", resp, body, http.StatusSeeOther)
}
