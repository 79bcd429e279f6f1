package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

var wita = time.FixedZone("WITA", 8*3600)

func witaTime(d time.Month, day, hh, mm int) time.Time {
	return time.Date(2026, d, day, hh, mm, 0, 0, wita)
}

type slaRow struct {
	Status          string
	Level           int
	Due, NextCheck  time.Time
	ResponseDue     time.Time
	ResolutionDue   time.Time
	FirstResponseAt time.Time
}

func slaOf(t *testing.T, s *apptest.Server, id int64) slaRow {
	t.Helper()
	var r slaRow
	var due, next, resp, resol, first *string
	err := s.App.Deps.DB.QueryRowContext(t.Context(), `SELECT status, escalation_level, due_at, next_check_at, response_due_at, resolution_due_at, first_response_at
		FROM reports WHERE id = $1`, id).Scan(&r.Status, &r.Level, &due, &next, &resp, &resol, &first)
	if err != nil {
		t.Fatal(err)
	}
	parse := func(p *string) time.Time {
		if p == nil {
			return time.Time{}
		}
		v, err := time.Parse("2006-01-02T15:04:05.000000Z", *p)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	r.Due, r.NextCheck, r.ResponseDue, r.ResolutionDue, r.FirstResponseAt = parse(due), parse(next), parse(resp), parse(resol), parse(first)
	return r
}

func eventKinds(t *testing.T, s *apptest.Server, id int64) string {
	t.Helper()
	rows, err := s.App.Deps.DB.QueryContext(t.Context(), `SELECT kind FROM report_events WHERE report_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ks []string
	for rows.Next() {
		var k string
		_ = rows.Scan(&k)
		ks = append(ks, k)
	}
	return strings.Join(ks, ",")
}

// SLA on the working-day calendar with the controllable clock: an overdue
// report escalates to the unit's supervisor, then to its head two working
// days later; a response starts the resolution deadline; a finished report
// closes itself after ten working days without the reporter's reply.
func TestSLAEscalationAndAutoClose(t *testing.T) {
	s := start(t, false) // Friday 4 December 2026, 09:00 WITA
	staff(t, s, "spv.dlhk", "dlhk", "spv.dlhk@kupangkota.go.id", "supervisor")
	staff(t, s, "kepala.dlhk", "dlhk", "kadis.dlhk@kupangkota.go.id", "unit_admin")
	staff(t, s, "petugas.dlhk", "dlhk", "", "officer")
	resident := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.05.1003")
	c := report(t, resident, map[string]any{"category": "sampah-liar", "lat": p[0], "lon": p[1], "description": "Sampah di kali",
		"attributes": map[string]any{"volume": "sedang"}, "contact": map[string]any{"phone": "081311112222"}}, nil)

	// Response target 2 working days: Friday 09:00 → Tuesday 09:00 (the
	// weekend does not count); resolution 5 working days → next Friday.
	r := slaOf(t, s, c.ID)
	if !r.ResponseDue.Equal(witaTime(12, 8, 9, 0)) || !r.ResolutionDue.Equal(witaTime(12, 11, 9, 0)) || !r.Due.Equal(r.ResponseDue) {
		t.Fatalf("deadlines %+v", r)
	}
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Level != 0 {
		t.Fatal("escalated before the deadline")
	}

	// Monday evening: still within the target.
	s.Clock.Set(witaTime(12, 7, 18, 0))
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Level != 0 {
		t.Fatal("escalated before the deadline")
	}
	// Tuesday 09:05: overdue → the supervisor.
	s.Clock.Set(witaTime(12, 8, 9, 5))
	s.RunJobs(t)
	r = slaOf(t, s, c.ID)
	if r.Level != 1 || !r.NextCheck.Equal(witaTime(12, 10, 9, 0)) {
		t.Fatalf("after the deadline: %+v", r)
	}
	if m, ok := s.Outbox.Last("spv.dlhk@kupangkota.go.id"); !ok || !strings.Contains(m.Body, "#"+itoa(c.ID)) {
		t.Fatalf("supervisor not told: %+v", m)
	}
	if _, ok := s.Outbox.Last("kadis.dlhk@kupangkota.go.id"); ok {
		t.Fatal("the head was told at the first level")
	}
	// The supervisor's page lists it.
	spv := signIn(t, s, "spv.dlhk", demoPassword)
	_, page := spv.get("/petugas/eskalasi")
	if !strings.Contains(page, `data-id="`+itoa(c.ID)+`"`) {
		t.Fatal("escalated report missing from the supervisor's page")
	}
	// Running the job again changes nothing.
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Level != 1 {
		t.Fatalf("level %d after a second run", r.Level)
	}
	// Two working days later, still untouched → the head.
	s.Clock.Set(witaTime(12, 10, 9, 1))
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Level != 2 || !r.NextCheck.IsZero() {
		t.Fatalf("after the second deadline: %+v", r)
	}
	if _, ok := s.Outbox.Last("kadis.dlhk@kupangkota.go.id"); !ok {
		t.Fatal("the head was not told")
	}
	if k := eventKinds(t, s, c.ID); k != "created,escalated,escalated" {
		t.Fatalf("history %s", k)
	}

	// The officer responds: the running deadline becomes the resolution
	// target and the ladder starts again.
	officer := signIn(t, s, "petugas.dlhk", demoPassword)
	resp, body := officer.post("/petugas/laporan/"+itoa(c.ID)+"/verifikasi", nil)
	wantStatus(t, "verify", resp, body, http.StatusSeeOther)
	r = slaOf(t, s, c.ID)
	if r.Level != 0 || !r.Due.Equal(r.ResolutionDue) || !r.NextCheck.Equal(r.ResolutionDue) || !r.FirstResponseAt.Equal(witaTime(12, 10, 9, 1)) {
		t.Fatalf("after the response: %+v", r)
	}
	resp, body = officer.postMultipart("/petugas/laporan/"+itoa(c.ID)+"/selesai", url.Values{}, upload{"foto", "ok.png", pngPhoto(t, 5)})
	wantStatus(t, "done", resp, body, http.StatusSeeOther)
	// Done on Thursday 10 December 09:01: ten working days → Thursday 24
	// December is cuti bersama and 25 December Christmas, so the report
	// closes on Monday 28 December 09:01.
	r = slaOf(t, s, c.ID)
	if r.Status != "selesai" || !r.NextCheck.Equal(witaTime(12, 28, 9, 1)) {
		t.Fatalf("after done: %+v", r)
	}
	s.Clock.Set(witaTime(12, 28, 9, 0))
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Status != "selesai" {
		t.Fatal("closed before ten working days")
	}
	// The job runs every five minutes: at the next run it closes.
	s.Clock.Set(witaTime(12, 28, 9, 6))
	s.RunJobs(t)
	if r := slaOf(t, s, c.ID); r.Status != "ditutup" {
		t.Fatalf("not auto-closed: %+v", r)
	}
	if k := eventKinds(t, s, c.ID); !strings.HasSuffix(k, "verified,done,auto_closed") {
		t.Fatalf("history %s", k)
	}
	// Too late to reopen once closed.
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/buka-kembali", url.Values{"alasan": {"Sampah kembali menumpuk"}})
	wantStatus(t, "reopen after closing", resp, body, http.StatusConflict)
}

// Within ten working days of "selesai" the reporter may reopen: the report
// goes straight back to the unit with a new resolution deadline.
func TestReopenWithinWindow(t *testing.T) {
	s := start(t, false)
	officer := newStaff(t, s, "petugas.pupr", "pupr")
	resident := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.05.1003")
	c := report(t, resident, map[string]any{"category": "jalan-rusak", "lat": p[0], "lon": p[1], "description": "Lubang",
		"attributes": map[string]any{"ukuran": "kecil"}}, nil)
	resp, body := officer.postMultipart("/petugas/laporan/"+itoa(c.ID)+"/selesai", url.Values{"catatan": {"Ditambal."}}, upload{"foto", "x.png", pngPhoto(t, 3)})
	wantStatus(t, "done", resp, body, http.StatusSeeOther)
	s.Clock.Set(witaTime(12, 9, 10, 0))
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/buka-kembali", url.Values{"alasan": {""}})
	wantStatus(t, "reopen without reason", resp, body, http.StatusConflict)
	resp, body = resident.post("/lapor/"+c.TrackingCode+"/buka-kembali", url.Values{"alasan": {"Lubangnya terbuka lagi setelah hujan."}})
	wantStatus(t, "reopen", resp, body, http.StatusSeeOther)
	r := slaOf(t, s, c.ID)
	// Resolution 20 working days from Wednesday 9 December, over the
	// Christmas days off, New Year and Isra Mikraj (5 January 2027, as
	// estimated in the seeded list): Tuesday 12 January 2027.
	if r.Status != "diproses" || !r.ResolutionDue.Equal(time.Date(2027, 1, 12, 10, 0, 0, 0, wita)) || !r.Due.Equal(r.ResolutionDue) {
		t.Fatalf("after reopening: %+v", r)
	}
	if v := track(t, resident, c.TrackingCode); v.Agency != "pupr" || v.Timeline[len(v.Timeline)-1].Kind != "reopened" {
		t.Fatalf("reopened report: %+v", v)
	}
}
