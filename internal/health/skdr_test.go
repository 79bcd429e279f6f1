package health_test

import (
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/health"
)

// TestSKDRAlert: dengue cases at one puskesmas reach the weekly
// threshold; the hourly job raises one alert and e-mails Dinas
// Kesehatan, once.
func TestSKDRAlert(t *testing.T) {
	restore := health.SetDemoVolume(5, 0, 7, 0, 1)
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	restore()
	b := signIn(t, s, "pkm.oesapa")
	for i, name := range []string{"Petrus Lay", "Maria Bani", "Daniel Benu"} {
		id := registerPatient(t, b, map[string]string{"name": name, "sex": []string{"male", "female", "male"}[i], "birth_date": "2001-02-03"})
		visit := visitThroughQueue(t, b, id, "umum")
		b.get("/kesehatan/kunjungan/" + visit)
		if resp, _ := b.post("/kesehatan/kunjungan/"+visit+"/diagnosis", map[string]string{"icd10": "A91", "case_type": "new"}); resp.StatusCode != 303 {
			t.Fatalf("dengue diagnosis = %d", resp.StatusCode)
		}
	}
	s.RunJobs(t)
	s.RunJobs(t)
	msgs := 0
	for _, m := range s.Outbox.Messages() {
		if m.Tag == "skdr_alert" {
			msgs++
			if m.To != "surveilans.dinkes@kupangkota.go.id" || !strings.Contains(m.Body, "Suspek dengue") || !strings.Contains(m.Body, "Puskesmas Oesapa") {
				t.Errorf("alert message %+v", m)
			}
		}
	}
	if msgs != 1 {
		t.Errorf("%d alert messages, want 1", msgs)
	}
	sup := signIn(t, s, "dinkes.supervisor")
	_, page := sup.get("/kesehatan/skdr")
	if !strings.Contains(page, "alert-cell") || !strings.Contains(page, "Suspek dengue") {
		t.Error("the SKDR page does not show the alert")
	}
	// Thresholds are Dinas Kesehatan's to change.
	if resp, _ := b.get("/kesehatan/skdr/ambang"); resp.StatusCode != 403 {
		t.Errorf("health_staff thresholds = %d", resp.StatusCode)
	}
	if resp, _ := signIn(t, s, "dlhk.supervisor").get("/kesehatan/skdr/ambang"); resp.StatusCode != 403 {
		t.Errorf("another agency's supervisor thresholds = %d", resp.StatusCode)
	}
	sup.get("/kesehatan/skdr/ambang")
	fields := map[string]string{"email": "kkp@dinkes.example.id", "t_dengue": "0"}
	if resp, body := sup.post("/kesehatan/skdr/ambang", fields); resp.StatusCode != 422 || !strings.Contains(body, "1–100000") {
		t.Errorf("threshold 0 = %d", resp.StatusCode)
	}
	_, page = sup.get("/kesehatan/skdr/ambang")
	form := map[string]string{"email": "kkp@dinkes.example.id"}
	for _, line := range strings.Split(page, "\n") {
		if i := strings.Index(line, `name="t_`); i >= 0 {
			name := line[i+6 : i+6+strings.Index(line[i+6:], `"`)]
			v := line[strings.Index(line, `value="`)+7:]
			form[name] = v[:strings.Index(v, `"`)]
		}
	}
	form["t_dengue"] = "5"
	if resp, _ := sup.post("/kesehatan/skdr/ambang", form); resp.StatusCode != 303 {
		t.Fatalf("save thresholds = %d", resp.StatusCode)
	}
	_, page = sup.get("/kesehatan/skdr/ambang")
	if !strings.Contains(page, `name="t_dengue" inputmode="numeric" value="5"`) || !strings.Contains(page, "kkp@dinkes.example.id") {
		t.Error("thresholds not saved")
	}
}
