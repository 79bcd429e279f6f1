package health_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// A woman born 5 May 1990 (day + 40), issued in Kelapa Lima.
const testNIK = "5371034505900099"

var (
	visitLink = regexp.MustCompile(`/kesehatan/kunjungan/(\d+)"`)
	idInPath  = regexp.MustCompile(`/kesehatan/pasien/(\d+)`)
)

// registerPatient registers through the form and returns the patient id.
func registerPatient(t *testing.T, b *browser, fields map[string]string) string {
	t.Helper()
	b.get("/kesehatan/pasien/baru")
	resp, body := b.post("/kesehatan/pasien", fields)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register = %d %.600s", resp.StatusCode, body)
	}
	m := idInPath.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("register went to %s", resp.Header.Get("Location"))
	}
	return m[1]
}

// visitThroughQueue takes a number at a poli, calls it and returns the
// visit id.
func visitThroughQueue(t *testing.T, b *browser, patientID, poli string) string {
	t.Helper()
	b.get("/kesehatan/pasien/" + patientID)
	resp, body := b.post("/kesehatan/pasien/"+patientID+"/antrean", map[string]string{"poli": poli, "payer": "bpjs"})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "flash=queued") {
		t.Fatalf("take number = %d %s %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	b.get("/kesehatan/antrean")
	resp, _ = b.post("/kesehatan/antrean/panggil", map[string]string{"poli": poli})
	if !strings.Contains(resp.Header.Get("Location"), "flash=called") {
		t.Fatalf("call next went to %s", resp.Header.Get("Location"))
	}
	_, page := b.get("/kesehatan/antrean?poli=" + poli)
	m := visitLink.FindAllStringSubmatch(page, -1)
	if m == nil {
		t.Fatalf("no visit link on the queue page")
	}
	return m[len(m)-1][1]
}

// TestVisitFromQueueToLB1AndFHIR follows a patient from registration
// through the queue and the examination to LB1 and FHIR.
func TestVisitFromQueueToLB1AndFHIR(t *testing.T) {
	s := startDemo(t)
	b := signIn(t, s, "pkm.oesapa")

	// The NIK's birth date and sex must agree with what is entered.
	b.get("/kesehatan/pasien/baru")
	resp, body := b.post("/kesehatan/pasien", map[string]string{"nik": testNIK, "name": "Yuliana Manafe", "sex": "male", "birth_date": "1990-05-06"})
	if resp.StatusCode != 422 || !strings.Contains(body, "Jenis kelamin tidak sama") || !strings.Contains(body, "Tanggal lahir tidak sama") {
		t.Fatalf("mismatch = %d", resp.StatusCode)
	}
	if strings.Contains(body, testNIK) {
		t.Error("a refused form shows the NIK back")
	}
	id := registerPatient(t, b, map[string]string{"nik": testNIK, "name": "Yuliana Manafe", "sex": "female", "birth_date": "1990-05-05",
		"kelurahan": "53.71.03.1010", "bpjs": "0001234567890", "address": "Jl. Timor Raya 12"})
	// A second registration with the same NIK leads to the same patient.
	b.get("/kesehatan/pasien/baru")
	resp, _ = b.post("/kesehatan/pasien", map[string]string{"nik": testNIK, "name": "Yuli Manafe", "sex": "female", "birth_date": "1990-05-05"})
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !strings.HasPrefix(loc, "/kesehatan/pasien/"+id+"?flash=exists") {
		t.Fatalf("duplicate NIK = %d %s, want the existing patient %s", resp.StatusCode, loc, id)
	}
	// A NIK search goes by POST and finds her.
	b.get("/kesehatan/pasien")
	resp, _ = b.post("/kesehatan/pasien/cari", map[string]string{"nik": testNIK})
	if !strings.HasPrefix(resp.Header.Get("Location"), "/kesehatan/pasien/"+id) {
		t.Fatalf("NIK search went to %s", resp.Header.Get("Location"))
	}
	_, page := b.get("/kesehatan/pasien/" + id)
	if !strings.Contains(page, "5371********0099") || strings.Contains(page, testNIK) {
		t.Error("the record page must show the NIK masked")
	}

	visit := visitThroughQueue(t, b, id, "kia")
	_, screen := apptest.Get(t, s.Client(), s.URL+"/kesehatan/antrean/layar/pkm-oesapa")
	if !strings.Contains(screen, `http-equiv="refresh"`) || !strings.Contains(screen, "Poli KIA/KB") || strings.Contains(screen, "Yuliana") {
		t.Error("the call screen must refresh itself and show numbers, not names")
	}
	s.Clock.Advance(12 * time.Minute)
	b.get("/kesehatan/kunjungan/" + visit)
	resp, _ = b.post("/kesehatan/kunjungan/"+visit, map[string]string{"systolic": "120", "diastolic": "80", "temp_c": "37,2", "weight_kg": "58",
		"anamnesis": "Demam 2 hari, BAB cair 4x", "actions": "Edukasi, oralit"})
	if resp.StatusCode != 303 {
		t.Fatalf("save vitals = %d", resp.StatusCode)
	}
	resp, _ = b.post("/kesehatan/kunjungan/"+visit, map[string]string{"systolic": "900"})
	if resp.StatusCode != 422 {
		t.Errorf("systolic 900 = %d", resp.StatusCode)
	}
	// Searching in Indonesian finds the code; a code not in the list is refused.
	_, page = b.get("/kesehatan/kunjungan/" + visit + "?cari=diare")
	if !strings.Contains(page, "A09") {
		t.Error("ICD-10 search for 'diare' does not offer A09")
	}
	resp, body = b.post("/kesehatan/kunjungan/"+visit+"/diagnosis", map[string]string{"icd10": "Z99.999", "case_type": "new"})
	if resp.StatusCode != 422 || !strings.Contains(body, "tidak ada dalam daftar") {
		t.Errorf("unknown code = %d", resp.StatusCode)
	}
	// Closing without a diagnosis is refused.
	if resp, _ := b.post("/kesehatan/kunjungan/"+visit+"/selesai", nil); resp.StatusCode != 422 {
		t.Errorf("finish without diagnosis = %d", resp.StatusCode)
	}
	for _, code := range []string{"a09.9", "R50.9"} {
		if resp, body := b.post("/kesehatan/kunjungan/"+visit+"/diagnosis", map[string]string{"icd10": code, "case_type": "new"}); resp.StatusCode != 303 {
			t.Fatalf("diagnosis %s = %d %.300s", code, resp.StatusCode, body)
		}
	}
	b.get("/kesehatan/kunjungan/" + visit)
	if resp, body := b.post("/kesehatan/kunjungan/"+visit+"/resep", map[string]string{"drug": "ORALIT", "qty": "6", "dosage": "tiap BAB"}); resp.StatusCode != 303 {
		t.Fatalf("dispense = %d %.300s", resp.StatusCode, body)
	}
	if resp, _ := b.post("/kesehatan/kunjungan/"+visit+"/resep", map[string]string{"drug": "ORALIT", "qty": "9999", "dosage": "x"}); resp.StatusCode != 422 {
		t.Errorf("dispensing more than the stock = %d", resp.StatusCode)
	}
	s.Clock.Advance(9 * time.Minute)
	if resp, _ := b.post("/kesehatan/kunjungan/"+visit+"/selesai", nil); resp.StatusCode != 303 {
		t.Fatalf("finish = %d", resp.StatusCode)
	}
	if resp, _ := b.post("/kesehatan/kunjungan/"+visit+"/diagnosis", map[string]string{"icd10": "J06.9", "case_type": "new"}); resp.StatusCode != 422 {
		t.Errorf("diagnosis on a finished visit = %d", resp.StatusCode)
	}

	// LB1: a woman of 36 with a new A09.9 this month at Oesapa.
	tok := token(t, s, "pkm.oesapa")
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/api/v1/health/lb1?month=2026-12", "", "", http.Header{"Authorization": {"Bearer " + tok}})
	var lb1 struct {
		Puskesmas string `json:"puskesmas"`
		Rows      []struct {
			ICD10    string         `json:"icd10"`
			NewCases map[string]int `json:"new_cases"`
			NewFem   int            `json:"new_female"`
		} `json:"rows"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &lb1) != nil || lb1.Puskesmas != "pkm-oesapa" {
		t.Fatalf("lb1 = %d %.300s", resp.StatusCode, body)
	}
	found := false
	for _, r := range lb1.Rows {
		if r.ICD10 == "A09.9" && r.NewCases["20-44t_female"] >= 1 && r.NewFem >= 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("A09.9 of a woman aged 20–44 is not in LB1: %.500s", body)
	}
	// Another puskesmas' LB1 is outside a puskesmas worker's scope.
	resp, _ = apptest.Do(t, s.Client(), "GET", s.URL+"/api/v1/health/lb1?pkm=pkm-alak", "", "", http.Header{"Authorization": {"Bearer " + tok}})
	if resp.StatusCode != 403 {
		t.Errorf("another puskesmas' LB1 = %d", resp.StatusCode)
	}
	resp, body = b.get("/kesehatan/laporan/lb1.csv?month=2026-12")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(body, "A09.9,") {
		t.Errorf("LB1 CSV = %d", resp.StatusCode)
	}
	resp, body = b.get("/kesehatan/laporan/lb1.xlsx?month=2026-12")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(body, "PK") {
		t.Errorf("LB1 XLSX = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ = b.get("/kesehatan/laporan/lb1.pdf?month=2026-12"); resp.StatusCode != 404 {
		t.Errorf("LB1 in an unknown format = %d", resp.StatusCode)
	}

	// FHIR: the encounter, its conditions, the patient by NIK.
	key := fhirKey(t, s)
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/Encounter/"+visit, "", "", key)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/fhir+json") {
		t.Fatalf("Encounter = %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var enc struct {
		Status        string `json:"status"`
		StatusHistory []struct {
			Status string `json:"status"`
		} `json:"statusHistory"`
		Period     struct{ Start, End string }      `json:"period"`
		Identifier []struct{ System, Value string } `json:"identifier"`
		Diagnosis  []struct {
			Condition struct{ Reference string } `json:"condition"`
			Use       struct {
				Coding []struct{ System, Code string } `json:"coding"`
			} `json:"use"`
		} `json:"diagnosis"`
		ServiceProvider struct{ Reference string } `json:"serviceProvider"`
	}
	if err := json.Unmarshal([]byte(body), &enc); err != nil {
		t.Fatal(err)
	}
	var hist []string
	for _, h := range enc.StatusHistory {
		hist = append(hist, h.Status)
	}
	if enc.Status != "finished" || strings.Join(hist, ",") != "arrived,in-progress,finished" {
		t.Errorf("encounter status %s, history %v", enc.Status, hist)
	}
	if !strings.HasSuffix(enc.Period.Start, "Z") || !strings.HasSuffix(enc.Period.End, "Z") || enc.Period.End <= enc.Period.Start {
		t.Errorf("period %+v: want UTC, end after start", enc.Period)
	}
	if len(enc.Identifier) != 1 || enc.Identifier[0].System != "http://sys-ids.kemkes.go.id/encounter/pkm-oesapa" || enc.Identifier[0].Value != visit {
		t.Errorf("identifier %+v", enc.Identifier)
	}
	if len(enc.Diagnosis) != 2 || enc.Diagnosis[0].Use.Coding[0].Code != "DD" ||
		enc.Diagnosis[0].Use.Coding[0].System != "http://terminology.hl7.org/CodeSystem/diagnosis-role" || enc.ServiceProvider.Reference != "Organization/pkm-oesapa" {
		t.Errorf("diagnosis %+v provider %s", enc.Diagnosis, enc.ServiceProvider.Reference)
	}
	if len(enc.Diagnosis) > 0 {
		resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/"+enc.Diagnosis[0].Condition.Reference, "", "", key)
		if resp.StatusCode != 200 || !strings.Contains(body, `"system":"http://hl7.org/fhir/sid/icd-10","code":"A09.9"`) {
			t.Errorf("Condition = %d %.400s", resp.StatusCode, body)
		}
	}
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/Patient?identifier=https://fhir.kemkes.go.id/id/nik|"+testNIK, "", "", key)
	if resp.StatusCode != 200 || !strings.Contains(body, `"type":"searchset"`) || !strings.Contains(body, `"value":"`+testNIK+`"`) ||
		strings.Count(body, `"resourceType":"Patient"`) != 1 {
		t.Errorf("Patient by NIK = %d %.500s", resp.StatusCode, body)
	}
	if strings.Contains(s.Logs.String(), testNIK) {
		t.Error("the full NIK reached the log")
	}
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/Encounter?_count=3", "", "", key)
	if resp.StatusCode != 200 || strings.Count(body, `"resourceType":"Encounter"`) != 3 || !strings.Contains(body, `"relation":"next"`) {
		t.Errorf("Encounter?_count=3 = %d %.300s", resp.StatusCode, body)
	}
	resp, body = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/metadata", "", "", key)
	if resp.StatusCode != 200 || !strings.Contains(body, `"resourceType":"CapabilityStatement"`) || !strings.Contains(body, `"fhirVersion":"4.0.1"`) {
		t.Errorf("metadata = %d", resp.StatusCode)
	}
	// Without the fhir scope there is no FHIR.
	resp, _ = apptest.Do(t, s.Client(), "GET", s.URL+"/fhir/R4/metadata", "", "", http.Header{"Authorization": {"Bearer " + tok}})
	if resp.StatusCode != 403 {
		t.Errorf("FHIR with a staff token = %d", resp.StatusCode)
	}

	// Privacy: another puskesmas cannot open the record; Dinas Kesehatan
	// can; every full-record read is in the audit log.
	other := signIn(t, s, "pkm.alak")
	if resp, _ := other.get("/kesehatan/pasien/" + id); resp.StatusCode != 404 {
		t.Errorf("another puskesmas opens the record: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/kesehatan/kunjungan/" + visit); resp.StatusCode != 404 {
		t.Errorf("another puskesmas opens the visit: %d", resp.StatusCode)
	}
	dinkes := signIn(t, s, "dinkes.supervisor")
	if resp, _ := dinkes.get("/kesehatan/pasien/" + id); resp.StatusCode != 200 {
		t.Errorf("Dinas Kesehatan cannot open the record: %d", resp.StatusCode)
	}
	dlhk := signIn(t, s, "dlhk.supervisor")
	if resp, _ := dlhk.get("/kesehatan/pasien/" + id); resp.StatusCode != 403 {
		t.Errorf("a supervisor of another agency: %d", resp.StatusCode)
	}
	var reads int
	if err := s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'health_patient.read' AND object_id = $1`, id).Scan(&reads); err != nil {
		t.Fatal(err)
	}
	if reads < 2 {
		t.Errorf("%d record reads audited, want every one", reads)
	}
}
