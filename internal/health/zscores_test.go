package health_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// whoRow is one row of the growth package's WHO reference file.
type whoRow struct {
	ref                     string
	req                     map[string]any
	adj, waz, haz, whz, baz *float64
	flags                   string
}

// whoRows reads the WHO reference rows the growth package is tested
// against (WHO's own published z-scores), so the API is checked against
// WHO and not against itself.
func whoRows(t *testing.T) []whoRow {
	t.Helper()
	f, err := os.Open("growth/testdata/who_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	opt := func(s string) *float64 {
		if s == "" {
			return nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("reference value %q: %v", s, err)
		}
		return &v
	}
	var out []whoRow
	for _, rec := range recs[1:] {
		age, _ := strconv.Atoi(rec[3])
		sex := "male"
		if rec[2] == "2" {
			sex = "female"
		}
		measure := map[string]string{"l": "lying", "h": "standing", "": ""}[rec[6]]
		req := map[string]any{"sex": sex, "age_days": age, "weight_kg": opt(rec[4]), "lenhei_cm": opt(rec[5]), "measure": measure, "oedema": rec[7] == "y"}
		out = append(out, whoRow{ref: rec[0] + "/" + rec[1], req: req, adj: opt(rec[8]), waz: opt(rec[9]), haz: opt(rec[10]), whz: opt(rec[11]),
			baz: opt(rec[12]), flags: rec[13]})
	}
	return out
}

type zresult struct {
	HAZ   *float64 `json:"haz"`
	WAZ   *float64 `json:"waz"`
	WHZ   *float64 `json:"whz"`
	BAZ   *float64 `json:"baz"`
	Adj   *float64 `json:"lenhei_adjusted_cm"`
	Flags []string `json:"flags"`
}

func postJSON(t *testing.T, s *apptest.Server, path, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	return apptest.Do(t, s.Client(), http.MethodPost, s.URL+path, "application/json", body, header)
}

func near(got, want *float64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return math.Abs(*got-*want) <= 0.0100001
}

// TestZScoreAPIMatchesWHO sends every WHO reference row in one batch and
// compares the answers with WHO's published z-scores.
func TestZScoreAPIMatchesWHO(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	rows := whoRows(t)
	var reqs []map[string]any
	for _, r := range rows {
		reqs = append(reqs, r.req)
	}
	body, _ := json.Marshal(reqs)
	resp, out := postJSON(t, s, "/api/v1/growth/zscores", string(body), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("batch = %d %s", resp.StatusCode, out)
	}
	var got []zresult
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != len(rows) {
		t.Fatalf("batch answer: %v, %d results for %d rows", err, len(got), len(rows))
	}
	for i, r := range rows {
		g := got[i]
		if !near(g.HAZ, r.haz) || !near(g.WAZ, r.waz) || !near(g.WHZ, r.whz) || !near(g.BAZ, r.baz) || !near(g.Adj, r.adj) {
			t.Errorf("%s: got haz %v waz %v whz %v baz %v adj %v; WHO %v %v %v %v %v", r.ref, fz(g.HAZ), fz(g.WAZ), fz(g.WHZ), fz(g.BAZ), fz(g.Adj),
				fz(r.haz), fz(r.waz), fz(r.whz), fz(r.baz), fz(r.adj))
		}
		if strings.Join(g.Flags, ";") != r.flags {
			t.Errorf("%s: flags %v, WHO %q", r.ref, g.Flags, r.flags)
		}
	}
	// One object in, one object out, for the first reference row.
	one, _ := json.Marshal(rows[0].req)
	resp, out = postJSON(t, s, "/api/v1/growth/zscores", string(one), nil)
	var single zresult
	if resp.StatusCode != 200 || json.Unmarshal([]byte(out), &single) != nil || !near(single.HAZ, rows[0].haz) {
		t.Fatalf("single = %d %s", resp.StatusCode, out)
	}
}

func fz(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.2f", *v)
}

func TestZScoreAPIBadInput(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"weight zero", `{"sex":"male","age_days":300,"weight_kg":0,"lenhei_cm":70,"measure":"lying","oedema":false}`, 422, "weight_kg"},
		{"length 300 cm", `{"sex":"female","age_days":300,"weight_kg":8,"lenhei_cm":300,"measure":"lying","oedema":false}`, 422, "lenhei_cm"},
		{"negative age", `{"sex":"female","age_days":-1,"weight_kg":8,"lenhei_cm":70,"measure":"","oedema":false}`, 422, "age_days"},
		{"no sex", `{"age_days":30,"weight_kg":4,"lenhei_cm":55,"measure":"","oedema":false}`, 422, "sex"},
		{"bad measure", `{"sex":"male","age_days":30,"weight_kg":4,"lenhei_cm":55,"measure":"sitting","oedema":false}`, 422, "measure"},
		{"unknown field", `{"sex":"male","age_days":30,"height":55}`, 400, "height"},
		{"batch index", `[{"sex":"male","age_days":30,"weight_kg":4},{"sex":"male","age_days":30,"weight_kg":400}]`, 422, "[1].weight_kg"},
		{"empty batch", `[]`, 422, "body"},
		{"not json", `sex=male`, 400, ""},
	}
	for _, c := range cases {
		resp, body := postJSON(t, s, "/api/v1/growth/zscores", c.body, nil)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, resp.StatusCode, c.status, body)
			continue
		}
		if c.field != "" && !strings.Contains(body, `"`+c.field+`"`) {
			t.Errorf("%s: the error does not name %s: %s", c.name, c.field, body)
		}
	}
	// Not computable is null, not an error: oedema, age ≥ 60 months, no
	// length, a length outside the weight-for-length table.
	resp, body := postJSON(t, s, "/api/v1/growth/zscores", `[
		{"sex":"male","age_days":400,"weight_kg":9,"lenhei_cm":75,"measure":"lying","oedema":true},
		{"sex":"male","age_days":1827,"weight_kg":18,"lenhei_cm":110,"measure":"standing","oedema":false},
		{"sex":"female","age_days":200,"weight_kg":7,"lenhei_cm":null,"measure":"","oedema":false},
		{"sex":"female","age_days":100,"weight_kg":5,"lenhei_cm":40,"measure":"lying","oedema":false}]`, nil)
	var got []zresult
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got) != 4 {
		t.Fatalf("nulls = %d %s", resp.StatusCode, body)
	}
	if got[0].WAZ != nil || got[0].WHZ != nil || got[0].BAZ != nil || got[0].HAZ == nil {
		t.Errorf("oedema: %+v", got[0])
	}
	if got[1].HAZ != nil || got[1].WAZ != nil || got[1].WHZ != nil || got[1].BAZ != nil {
		t.Errorf("60 months: %+v", got[1])
	}
	if got[2].HAZ != nil || got[2].WHZ != nil || got[2].WAZ == nil || got[2].Adj != nil {
		t.Errorf("no length: %+v", got[2])
	}
	if got[3].WHZ != nil || got[3].HAZ == nil {
		t.Errorf("length outside the table: %+v", got[3])
	}
	// Too many children.
	var many []string
	for range 1001 {
		many = append(many, `{"sex":"male","age_days":30}`)
	}
	if resp, body := postJSON(t, s, "/api/v1/growth/zscores", "["+strings.Join(many, ",")+"]", nil); resp.StatusCode != 422 {
		t.Errorf("1001 children = %d %.200s", resp.StatusCode, body)
	}
}

// TestCalculatorPage computes through the public form, without script.
func TestCalculatorPage(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	b := newBrowser(t, s)
	resp, page := b.get("/kalkulator-gizi")
	if resp.StatusCode != 200 || !strings.Contains(page, `name="weight_kg"`) {
		t.Fatalf("calculator = %d", resp.StatusCode)
	}
	resp, page = b.post("/kalkulator-gizi", map[string]string{"sex": "female", "birth_date": "2025-06-01", "measured_on": "2026-12-01",
		"weight_kg": "7,9", "lenhei_cm": "72.5", "measure": "lying"})
	if resp.StatusCode != 200 || !strings.Contains(page, `data-z="haz"`) {
		t.Fatalf("compute = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"-2.", "Pendek"} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	resp, page = b.post("/kalkulator-gizi", map[string]string{"sex": "female", "birth_date": "2025-06-01", "measured_on": "2026-12-01", "weight_kg": "0"})
	if resp.StatusCode != 422 || !strings.Contains(page, "0,5–40 kg") {
		t.Errorf("weight 0 = %d", resp.StatusCode)
	}
	resp, _ = b.post("/kalkulator-gizi", map[string]string{"sex": "female", "birth_date": "2026-06-01", "measured_on": "2026-05-01", "weight_kg": "5"})
	if resp.StatusCode != 422 {
		t.Errorf("measured before birth = %d", resp.StatusCode)
	}
	resp, _ = b.post("/kalkulator-gizi", map[string]string{"sex": "female", "birth_date": "2026-06-01", "measured_on": "2027-01-01", "weight_kg": "5"})
	if resp.StatusCode != 422 {
		t.Errorf("measured in the future = %d", resp.StatusCode)
	}
}
