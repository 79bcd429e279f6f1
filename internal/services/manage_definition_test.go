package services

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExplainDefinitionFollowsValidate: for every rule of
// Service.Validate, a definition breaking it is refused by the validator
// and explained at the right JSON path; valid definitions have nothing
// to explain.
func TestExplainDefinitionFollowsValidate(t *testing.T) {
	for _, s := range SeedCatalog() {
		if err := s.Validate(); err != nil {
			t.Fatalf("seed %s: %v", s.Code, err)
		}
		if p := explainDefinition(&s); len(p) != 0 {
			t.Errorf("seed %s explained: %v", s.Code, p)
		}
	}
	base := func() Service {
		for _, s := range SeedCatalog() {
			if s.Code == "pkkpr" {
				return s
			}
		}
		t.Fatal("no pkkpr seed")
		return Service{}
	}
	cases := []struct {
		path string
		edit func(s *Service)
	}{
		{"code", func(s *Service) { s.Code = "Bad Code" }},
		{"name", func(s *Service) { s.Name = " " }},
		{"fee", func(s *Service) { s.Fee = -1 }},
		{"documents[1].type", func(s *Service) { s.Documents[1].Type = s.Documents[0].Type }},
		{"documents[0].formats[0]", func(s *Service) { s.Documents[0].Formats = []string{"docx"} }},
		{"fields[1].code", func(s *Service) { s.Fields[1].Code = s.Fields[0].Code }},
		{"fields[0].type", func(s *Service) { s.Fields[0].Type = "checkbox" }},
		{"fields[0].options", func(s *Service) { s.Fields[0].Type, s.Fields[0].Options = "select", nil }},
		{"fields[0].pattern", func(s *Service) { s.Fields[0].Pattern = "([a-z" }},
		{"stages", func(s *Service) { s.Stages = nil }},
		{"stages[1].code", func(s *Service) { s.Stages[1].Code = s.Stages[0].Code }},
		{"stages[0].unit", func(s *Service) { s.Stages[0].Unit = "" }},
		{"stages[0].sla_days", func(s *Service) { s.Stages[0].SLADays = -2 }},
		{"stages[0].actions[0]", func(s *Service) { s.Stages[0].Actions = []string{"approve_all"} }},
		{"stages[1].after[0]", func(s *Service) { s.Stages[1].After = []string{s.Stages[1].Code} }},
		{"stages[0].payment", func(s *Service) { s.Stages[0].Payment = true }},
		{"stages[0].bill", func(s *Service) { s.Stages[0].Bill = "tax" }},
	}
	for _, c := range cases {
		s := base()
		c.edit(&s)
		if s.Validate() == nil {
			t.Errorf("%s: the validator accepts the broken definition", c.path)
			continue
		}
		p := explainDefinition(&s)
		if len(p) == 0 || p[0].Path != c.path {
			t.Errorf("%s: explained as %v", c.path, p)
		}
	}
	// Records of a stage are checked like the applicant's fields.
	s := base()
	for i, st := range s.Stages {
		if len(st.Records) > 0 {
			s.Stages[i].Records[0].Type = "checkbox"
			p := explainDefinition(&s)
			if s.Validate() == nil || len(p) != 1 || !strings.HasSuffix(p[0].Path, ".records[0].type") {
				t.Errorf("records: %v", p)
			}
			break
		}
	}
}

// TestDefinitionText: the JSON text leaves out the attributes the form
// edits, reads back to the same service, and reports syntax errors by
// line and column.
func TestDefinitionText(t *testing.T) {
	s := SeedCatalog()[0]
	text := prettyDefinition(s)
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"code", "name", "description", "eligibility", "fee"} {
		if _, ok := top[key]; ok {
			t.Errorf("the text has %q", key)
		}
	}
	if _, ok := top["stages"]; !ok || !strings.Contains(text, "\n  \"stages\": [\n") {
		t.Errorf("the text is not the indented definition:\n%s", text)
	}
	got, problems, decoded := parseDefinition(text)
	if len(problems) != 0 || !decoded {
		t.Fatalf("problems: %v", problems)
	}
	got.Code, got.Name, got.Description, got.Eligibility, got.Fee = s.Code, s.Name, s.Description, s.Eligibility, s.Fee
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(s)
	if string(a) != string(b) {
		t.Fatalf("round trip:\n%s\n%s", a, b)
	}
	for in, want := range map[string]defProblem{
		"":                        {Key: "services.err_required"},
		"{\n  \"stages\": [,]\n}": {Key: "services.manage_err_json_syntax", Args: []any{2, 14}},
		`{"stages": [`:            {Key: "services.manage_err_json_eof"},
		`{"stage": []}`:           {Path: "stage", Key: "services.manage_err_json_unknown", Args: []any{"stage"}},
		`{} {}`:                   {Key: "services.manage_err_json_trailing", Args: []any{1, 4}},
		`{"fee": 5}`:              {Path: "fee", Key: "services.manage_err_form_owned"},
		`{"stages": [{"sla_days": 1.5}]}`: {Path: "stages.sla_days", Key: "services.manage_err_json_type",
			Args: []any{1, 28, msgKey("services.manage_kind_integer")}},
	} {
		_, p, _ := parseDefinition(in)
		if len(p) != 1 || p[0].Path != want.Path || p[0].Key != want.Key || !sameArgs(p[0].Args, want.Args) {
			t.Errorf("%q: %+v, want %+v", in, p, want)
		}
	}
}

func sameArgs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
