package health_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// TestChildGrowthMonitoring registers a child linked to its mother,
// measures it (refusing impossible values, flagging implausible ones),
// and follows it from the follow-up list to a brigade home visit.
func TestChildGrowthMonitoring(t *testing.T) {
	s := startDemo(t)
	b := signIn(t, s, "pkm.oesapa")
	mother := registerPatient(t, b, map[string]string{"nik": testNIK, "name": "Yuliana Manafe", "sex": "female", "birth_date": "1990-05-05",
		"kelurahan": "53.71.03.1010"})
	child := registerPatient(t, b, map[string]string{"name": "Bayi Manafe", "sex": "male", "birth_date": "2025-06-01",
		"kelurahan": "53.71.03.1010", "mother_nik": testNIK, "mother_name": "Yuliana Manafe"})
	_, page := b.get("/kesehatan/pasien/" + mother)
	if !strings.Contains(page, "/kesehatan/anak/"+child) {
		t.Error("the mother's record does not list the child")
	}
	_, page = b.get("/kesehatan/anak/" + child)
	if strings.Count(page, `<svg class="growth-chart"`) != 3 {
		t.Fatal("the growth page lacks its three WHO charts")
	}
	bad := []struct {
		name   string
		fields map[string]string
		want   string
	}{
		{"weight 0", map[string]string{"measured_on": "2026-11-20", "weight_kg": "0", "lenhei_cm": "70", "position": "lying"}, "0,5–40 kg"},
		{"length 300 cm", map[string]string{"measured_on": "2026-11-20", "weight_kg": "8", "lenhei_cm": "300", "position": "lying"}, "35–140 cm"},
		{"before birth", map[string]string{"measured_on": "2025-05-20", "weight_kg": "3", "lenhei_cm": "50", "position": "lying"}, "sebelum tanggal lahir"},
		{"future", map[string]string{"measured_on": "2026-12-25", "weight_kg": "8", "lenhei_cm": "70", "position": "lying"}, "masa depan"},
		{"nothing measured", map[string]string{"measured_on": "2026-11-20", "position": "lying"}, "Isi berat badan"},
	}
	for _, c := range bad {
		resp, body := b.post("/kesehatan/anak/"+child+"/pengukuran", c.fields)
		if resp.StatusCode != 422 || !strings.Contains(body, c.want) {
			t.Errorf("%s = %d, want 422 with %q", c.name, resp.StatusCode, c.want)
		}
	}
	// Two months of weighings: short for his age, then no weight gain twice.
	for _, m := range []map[string]string{
		{"measured_on": "2026-09-20", "weight_kg": "7.6", "lenhei_cm": "67.0", "position": "lying"},
		{"measured_on": "2026-10-20", "weight_kg": "7.6", "lenhei_cm": "67.5", "position": "lying", "muac_cm": "12.8"},
		{"measured_on": "2026-11-20", "weight_kg": "7.5", "lenhei_cm": "68.0", "position": "lying"},
	} {
		if resp, body := b.post("/kesehatan/anak/"+child+"/pengukuran", m); resp.StatusCode != 303 {
			t.Fatalf("measurement %s = %d %.400s", m["measured_on"], resp.StatusCode, body)
		}
	}
	_, page = b.get("/kesehatan/anak/" + child)
	for _, want := range []string{"Sangat pendek", "T (tidak naik)", "2T", "<circle"} {
		if !strings.Contains(page, want) {
			t.Errorf("growth page lacks %q", want)
		}
	}
	// An implausible but possible value is stored with WHO's flag.
	if resp, body := b.post("/kesehatan/anak/"+child+"/pengukuran", map[string]string{"measured_on": "2026-12-01", "weight_kg": "25", "lenhei_cm": "68.2", "position": "lying"}); resp.StatusCode != 303 {
		t.Fatalf("implausible weight refused: %d %.300s", resp.StatusCode, body)
	}
	_, page = b.get("/kesehatan/anak/" + child)
	if !strings.Contains(page, "BB/TB tidak wajar") {
		t.Error("the implausible weight-for-length is not flagged")
	}

	// The child is on the follow-up list of its kelurahan.
	_, page = b.get("/kesehatan/gizi/tindak-lanjut?kel=53.71.03.1010")
	if !strings.Contains(page, "Bayi Manafe") {
		t.Fatal("the stunted child is not on the follow-up list")
	}
	resp, _ := b.post("/kesehatan/gizi/kunjungan-rumah", map[string]string{"patient_id": child})
	if resp.StatusCode != 303 {
		t.Fatalf("home visit task = %d", resp.StatusCode)
	}
	brigade := signIn(t, s, "brigade.sehat")
	if resp, _ := brigade.get("/kesehatan"); resp.StatusCode != 303 || resp.Header.Get("Location") != "/kesehatan/kunjungan-rumah" {
		t.Errorf("the brigade's health home = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = brigade.get("/kesehatan/kunjungan-rumah")
	if !strings.Contains(page, "Bayi Manafe") || !strings.Contains(page, "Sangat pendek") {
		t.Fatal("the brigade does not see the home visit")
	}
	id := strings.Split(strings.Split(page, `/kesehatan/kunjungan-rumah/`)[1], "/")[0]
	if resp, _ := brigade.post("/kesehatan/kunjungan-rumah/"+id+"/selesai", map[string]string{"note": "Ibu diberi PMT dan edukasi"}); resp.StatusCode != 303 {
		t.Errorf("home visit done = %d", resp.StatusCode)
	}
	if resp, _ := brigade.get("/kesehatan/anak/" + child); resp.StatusCode == 200 {
		t.Errorf("the brigade opens a puskesmas record: %d", resp.StatusCode)
	}
	// The export of the list is for supervisors, and audited.
	if resp, _ := b.get("/kesehatan/gizi/tindak-lanjut.csv"); resp.StatusCode != 403 {
		t.Errorf("health_staff export = %d", resp.StatusCode)
	}
	sup := signIn(t, s, "dinkes.supervisor")
	resp, body := sup.get("/kesehatan/gizi/tindak-lanjut.csv?pkm=pkm-oesapa")
	if resp.StatusCode != 200 || !strings.Contains(body, "Bayi Manafe") {
		t.Errorf("supervisor export = %d", resp.StatusCode)
	}
	var exports int
	_ = s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'health_followup.read'`).Scan(&exports)
	if exports != 1 {
		t.Errorf("%d exports audited", exports)
	}

	// SATUSEHAT finds the baby by his mother's NIK.
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/Patient?identifier=https://fhir.kemkes.go.id/id/nik-ibu|"+testNIK, "", "", fhirKey(t, s))
	if resp.StatusCode != 200 || !strings.Contains(body, `"system":"https://fhir.kemkes.go.id/id/nik-ibu"`) || !strings.Contains(body, "Bayi Manafe") {
		t.Errorf("Patient by nik-ibu = %d %.400s", resp.StatusCode, body)
	}

	// The prevalence of November counts him in his kelurahan.
	tok := token(t, s, "dinkes.supervisor")
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/api/v1/health/prevalence?month=2026-11", "", "", http.Header{"Authorization": {"Bearer " + tok}})
	var prev struct {
		City struct {
			Measured    int      `json:"measured"`
			StuntingPct *float64 `json:"stunting_pct"`
		} `json:"city"`
		Kelurahan []struct {
			Code     string `json:"code"`
			Measured int    `json:"measured"`
			Stunted  int    `json:"stunted"`
		} `json:"kelurahan"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &prev) != nil || prev.City.StuntingPct == nil {
		t.Fatalf("prevalence = %d %.300s", resp.StatusCode, body)
	}
	ok := false
	for _, k := range prev.Kelurahan {
		if k.Code == "53.71.03.1010" && k.Stunted >= 1 {
			ok = true
		}
	}
	if !ok {
		t.Error("the stunted child is not counted in his kelurahan")
	}
	if resp, _ := sup.get("/kesehatan/gizi/peta?month=2026-11"); resp.StatusCode != 200 {
		t.Errorf("map page = %d", resp.StatusCode)
	}
	checkDerivedCounts(t, s)
}

// checkDerivedCounts recomputes the counts kept on write (follow-up per
// kelurahan, prevalence per month) from the rows they summarise.
func checkDerivedCounts(t *testing.T, s *apptest.Server) {
	t.Helper()
	db := s.App.Deps.DB
	pairs := []struct{ kept, recomputed string }{
		{`SELECT kelurahan_code, puskesmas_code, children, stunted, wasted, two_t FROM health_followup_counts WHERE children <> 0
			ORDER BY kelurahan_code, puskesmas_code`,
			`SELECT kelurahan_code, puskesmas_code, COUNT(*), SUM(CASE WHEN stunting IN ('stunted','severely_stunted') THEN 1 ELSE 0 END),
			SUM(CASE WHEN wasting IN ('wasted','severely_wasted') THEN 1 ELSE 0 END), SUM(CASE WHEN two_t THEN 1 ELSE 0 END)
			FROM health_growth_latest WHERE follow_up = TRUE GROUP BY kelurahan_code, puskesmas_code ORDER BY kelurahan_code, puskesmas_code`},
		{`SELECT month, kelurahan_code, puskesmas_code, measured, stunted, wasted, underweight FROM health_growth_stats WHERE measured <> 0
			ORDER BY month, kelurahan_code, puskesmas_code`,
			`SELECT x.month, x.kelurahan_code, x.puskesmas_code, COUNT(*), SUM(CASE WHEN x.stunting IN ('stunted','severely_stunted') THEN 1 ELSE 0 END),
			SUM(CASE WHEN x.wasting IN ('wasted','severely_wasted') THEN 1 ELSE 0 END),
			SUM(CASE WHEN x.underweight IN ('underweight','severely_underweight') THEN 1 ELSE 0 END)
			FROM health_measurements x WHERE NOT EXISTS (SELECT 1 FROM health_measurements y WHERE y.patient_id = x.patient_id AND y.month = x.month
			AND (y.measured_on > x.measured_on OR y.measured_on = x.measured_on AND y.id > x.id))
			GROUP BY x.month, x.kelurahan_code, x.puskesmas_code ORDER BY x.month, x.kelurahan_code, x.puskesmas_code`},
	}
	dump := func(q string) string {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out strings.Builder
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				out.WriteString(fmt.Sprint(v) + " ")
			}
			out.WriteString("\n")
		}
		return out.String()
	}
	for _, p := range pairs {
		if kept, want := dump(p.kept), dump(p.recomputed); kept != want {
			t.Errorf("counts kept on write differ from a recount:\nkept:\n%.1500s\nrecount:\n%.1500s", kept, want)
		}
	}
}
