package reports_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The statistics page and API report exactly what happened: counts,
// nearest-rank median and p90 of the hours to the first response and to
// "selesai", the share within the SLA and the average rating.
func TestStatisticsMatchTheData(t *testing.T) {
	s := start(t, false) // Friday 09:00 WITA
	staff(t, s, "stat.dlhk", "dlhk", "", "officer")
	// Staff sessions end after two idle hours; the test's clock jumps.
	officer := func() *browser { return signIn(t, s, "stat.dlhk", demoPassword) }
	resident := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.05.1006")
	waste := map[string]any{"category": "sampah-liar", "lat": p[0], "lon": p[1], "description": "Sampah", "attributes": map[string]any{"volume": "kecil"}}
	r1 := report(t, resident, waste, nil)
	r2 := report(t, resident, waste, nil)
	road := report(t, resident, map[string]any{"category": "jalan-rusak", "lat": p[0], "lon": p[1], "description": "Lubang",
		"attributes": map[string]any{"ukuran": "kecil"}}, nil)

	s.Clock.Advance(2 * time.Hour)
	resp, body := officer().post("/petugas/laporan/"+itoa(r1.ID)+"/verifikasi", nil)
	wantStatus(t, "verify r1", resp, body, http.StatusSeeOther)
	s.Clock.Advance(2 * time.Hour)
	resp, body = officer().post("/petugas/laporan/"+itoa(r2.ID)+"/verifikasi", nil)
	wantStatus(t, "verify r2", resp, body, http.StatusSeeOther)
	s.Clock.Advance(24 * time.Hour)
	resp, body = officer().postMultipart("/petugas/laporan/"+itoa(r1.ID)+"/selesai", url.Values{}, upload{"foto", "x.png", pngPhoto(t, 8)})
	wantStatus(t, "done r1", resp, body, http.StatusSeeOther)
	resp, body = resident.post("/lapor/"+r1.TrackingCode+"/konfirmasi", nil)
	wantStatus(t, "confirm", resp, body, http.StatusSeeOther)
	resp, body = resident.post("/lapor/"+r1.TrackingCode+"/nilai", url.Values{"nilai": {"4"}})
	wantStatus(t, "rate", resp, body, http.StatusSeeOther)

	resp, raw := resident.get("/api/v1/reports/stats?days=30")
	wantStatus(t, "stats API", resp, raw, http.StatusOK)
	var got struct {
		Days     int `json:"days"`
		Agencies []struct {
			Unit                                                  string
			Received, Open, Done, Rejected, SLAEvaluated, Ratings int
			MedianResponseH, P90ResponseH, MedianDoneH, P90DoneH  *float64
			WithinSLA, AvgRating                                  *float64
		} `json:"agencies"`
	}
	raw = strings.NewReplacer(`"median_response_hours"`, `"MedianResponseH"`, `"p90_response_hours"`, `"P90ResponseH"`,
		`"median_done_hours"`, `"MedianDoneH"`, `"p90_done_hours"`, `"P90DoneH"`, `"within_sla_percent"`, `"WithinSLA"`,
		`"average_rating"`, `"AvgRating"`, `"sla_evaluated"`, `"SLAEvaluated"`).Replace(raw)
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	f := func(p *float64) float64 {
		if p == nil {
			return -1
		}
		return *p
	}
	byUnit := map[string]int{}
	for i, a := range got.Agencies {
		byUnit[a.Unit] = i
	}
	d := got.Agencies[byUnit["dlhk"]]
	if d.Received != 2 || d.Open != 1 || d.Done != 1 || f(d.MedianResponseH) != 2 || f(d.P90ResponseH) != 4 ||
		f(d.MedianDoneH) != 28 || f(d.P90DoneH) != 28 || f(d.WithinSLA) != 100 || d.SLAEvaluated != 1 || f(d.AvgRating) != 4 || d.Ratings != 1 {
		t.Fatalf("DLHK: %+v", d)
	}
	pu := got.Agencies[byUnit["pupr"]]
	if pu.Received != 1 || pu.Open != 1 || pu.Done != 0 || pu.MedianResponseH != nil || pu.WithinSLA != nil || pu.AvgRating != nil {
		t.Fatalf("PUPR: %+v", pu)
	}
	_ = road

	// The page shows the same figures.
	_, page := resident.get("/laporan/statistik?hari=30")
	row := regexp.MustCompile(`(?s)<tr data-unit="dlhk">.*?</tr>`).FindString(page)
	for _, want := range []string{`class="received">2<`, `class="open">1<`, `class="done">1<`, `2.0 / 4.0`, `28.0 / 28.0`, `100.0%`, `4.0 ★`} {
		if !strings.Contains(row, want) {
			t.Fatalf("statistics row lacks %q:\n%s", want, row)
		}
	}
	// Reports received before the window are not counted.
	s.Clock.Advance(40 * 24 * time.Hour)
	_, raw = resident.get("/api/v1/reports/stats?days=30")
	if strings.Contains(raw, `"unit":"dlhk"`) {
		t.Fatalf("old reports counted in the last 30 days: %s", raw)
	}
	_, raw = resident.get("/api/v1/reports/stats?days=90")
	if !strings.Contains(raw, `"unit":"dlhk"`) {
		t.Fatal("90 days lost the reports")
	}
	if resp, _ := resident.get("/api/v1/reports/stats?days=7"); resp.StatusCode != http.StatusBadRequest {
		t.Fatal("an unsupported period was accepted")
	}
}
