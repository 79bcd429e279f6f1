package services

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Service is one entry of the catalog: what it is, who may apply, what
// the applicant supplies and the stages the file goes through. It is
// stored as JSON (svc_services.definition) so administrators change
// services without a release.
type Service struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	NameEN      string    `json:"name_en,omitempty"`
	Description string    `json:"description"`
	Eligibility string    `json:"eligibility"`
	Category    string    `json:"category"` // "surat" (kelurahan/kecamatan letter) or "perizinan"
	Documents   []DocReq  `json:"documents"`
	Fields      []Field   `json:"fields"`
	Fee         int64     `json:"fee"` // 0: free
	FeeNote     string    `json:"fee_note,omitempty"`
	Stages      []Stage   `json:"stages"`
	Output      OutputDef `json:"output"`
	// Requires names a service whose completed file (same applicant, same
	// parcel) must be referenced: PBG requires an approved PKKPR.
	Requires string `json:"requires,omitempty"`
}

// DocReq is a required (or optional) document.
type DocReq struct {
	Type      string   `json:"type"`
	Name      string   `json:"name"`
	Mandatory bool     `json:"mandatory"`
	Formats   []string `json:"formats"` // "pdf", "jpeg", "png"
}

// Field is a typed form field with its validation.
type Field struct {
	Code     string   `json:"code"`
	Label    string   `json:"label"`
	Type     string   `json:"type"` // text, textarea, number, date, select
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
	Pattern  string   `json:"pattern,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	MaxLen   int      `json:"max_len,omitempty"`
}

// Stage is one step of the process.
type Stage struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Unit handling the stage: a unit code, or UnitKelurahan /
	// UnitKecamatan resolved from the applicant's kelurahan.
	Unit    string   `json:"unit"`
	Role    string   `json:"role"`
	SLADays int      `json:"sla_days"`
	Actions []string `json:"actions"`
	// After lists the stages that must be done before this one starts;
	// empty means "the previous stage" (none for the first). Two stages
	// with the same After run in parallel, and a stage listing both
	// joins them.
	After []string `json:"after,omitempty"`
	// Records is the data the stage must record before approving.
	Records []Field `json:"records,omitempty"`
	// Bill: approving this stage issues a bill ("pnbp" with the recorded
	// amount, "skrd" computed by the retribution calculator).
	Bill string `json:"bill,omitempty"`
	// Payment: the stage completes when the bill of the previous stage
	// is paid (by an officer or the bank callback), not by approval.
	Payment bool `json:"payment,omitempty"`
}

// OutputDef describes the document issued on completion.
type OutputDef struct {
	Title  string `json:"title"`
	Body   string `json:"body"`
	Issuer string `json:"issuer"` // unit code or UnitKelurahan/UnitKecamatan
}

// Pseudo-units resolved from the applicant's kelurahan.
const (
	UnitKelurahan = "@kelurahan"
	UnitKecamatan = "@kecamatan"
)

// Stage actions.
const (
	ActApprove     = "approve"
	ActReturn      = "return"
	ActReject      = "reject"
	ActRequestDocs = "request_documents"
)

var (
	codePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,39}$`)
	knownActions  = []string{ActApprove, ActReturn, ActReject, ActRequestDocs}
	knownTypes    = []string{"text", "textarea", "number", "date", "select"}
	knownFormats  = []string{"pdf", "jpeg", "png"}
	datePattern   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	numberPattern = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// Validate checks a definition an administrator saves: codes, types and
// that the stage graph is acyclic with known predecessors.
func (s *Service) Validate() error {
	if !codePattern.MatchString(s.Code) {
		return fmt.Errorf("code %q: lower-case letters, digits, '-' and '_'", s.Code)
	}
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("name is required")
	}
	if s.Fee < 0 {
		return fmt.Errorf("fee must not be negative")
	}
	seen := map[string]bool{}
	for _, d := range s.Documents {
		if !codePattern.MatchString(d.Type) || seen["doc:"+d.Type] {
			return fmt.Errorf("document type %q is invalid or repeated", d.Type)
		}
		seen["doc:"+d.Type] = true
		for _, f := range d.Formats {
			if !slices.Contains(knownFormats, f) {
				return fmt.Errorf("document %s: format %q (want pdf, jpeg, png)", d.Type, f)
			}
		}
	}
	if err := validateFields(s.Fields); err != nil {
		return err
	}
	if len(s.Stages) == 0 {
		return fmt.Errorf("at least one stage is needed")
	}
	for i, st := range s.Stages {
		if !codePattern.MatchString(st.Code) || seen["stage:"+st.Code] {
			return fmt.Errorf("stage code %q is invalid or repeated", st.Code)
		}
		if st.Unit == "" || st.SLADays < 0 {
			return fmt.Errorf("stage %s: a unit and a non-negative SLA are needed", st.Code)
		}
		for _, a := range st.Actions {
			if !slices.Contains(knownActions, a) {
				return fmt.Errorf("stage %s: unknown action %q", st.Code, a)
			}
		}
		for _, p := range st.After {
			// Predecessors must come earlier in the list, which also
			// rules out cycles.
			if !seen["stage:"+p] {
				return fmt.Errorf("stage %s: after %q must name an earlier stage", st.Code, p)
			}
		}
		if st.Payment && (i == 0 || st.Bill != "") {
			return fmt.Errorf("stage %s: a payment stage follows a billing stage", st.Code)
		}
		if st.Bill != "" && st.Bill != "pnbp" && st.Bill != "skrd" {
			return fmt.Errorf("stage %s: bill must be pnbp or skrd", st.Code)
		}
		if err := validateFields(st.Records); err != nil {
			return fmt.Errorf("stage %s: %w", st.Code, err)
		}
		seen["stage:"+st.Code] = true
	}
	return nil
}

func validateFields(fs []Field) error {
	seen := map[string]bool{}
	for _, f := range fs {
		if !codePattern.MatchString(f.Code) || seen[f.Code] {
			return fmt.Errorf("field %q is invalid or repeated", f.Code)
		}
		seen[f.Code] = true
		if !slices.Contains(knownTypes, f.Type) {
			return fmt.Errorf("field %s: unknown type %q", f.Code, f.Type)
		}
		if f.Type == "select" && len(f.Options) == 0 {
			return fmt.Errorf("field %s: a select needs options", f.Code)
		}
		if f.Pattern != "" {
			if _, err := regexp.Compile(f.Pattern); err != nil {
				return fmt.Errorf("field %s: pattern: %w", f.Code, err)
			}
		}
	}
	return nil
}

// predecessors returns the stages that must be done before stage i.
func (s *Service) predecessors(i int) []string {
	if len(s.Stages[i].After) > 0 {
		return s.Stages[i].After
	}
	if i == 0 {
		return nil
	}
	return []string{s.Stages[i-1].Code}
}

// stage returns the definition of a stage by code.
func (s *Service) stage(code string) (Stage, int, bool) {
	for i, st := range s.Stages {
		if st.Code == code {
			return st, i, true
		}
	}
	return Stage{}, -1, false
}

// CheckValues validates submitted values against field definitions and
// returns per-field problems (message keys) and the cleaned values.
func CheckValues(defs []Field, in map[string]string) (map[string]string, map[string]string) {
	out := map[string]string{}
	problems := map[string]string{}
	for _, f := range defs {
		v := strings.TrimSpace(in[f.Code])
		if v == "" {
			if f.Required {
				problems[f.Code] = "services.err_required"
			}
			continue
		}
		maxLen := f.MaxLen
		if maxLen == 0 {
			maxLen = 2000
		}
		switch {
		case len([]rune(v)) > maxLen:
			problems[f.Code] = "services.err_too_long"
		case f.Type == "number" && !numberPattern.MatchString(v):
			problems[f.Code] = "services.err_number"
		case f.Type == "date" && !datePattern.MatchString(v):
			problems[f.Code] = "services.err_date"
		case f.Type == "select" && !slices.Contains(f.Options, v):
			problems[f.Code] = "services.err_option"
		case f.Pattern != "" && !regexp.MustCompile(`^(?:`+f.Pattern+`)$`).MatchString(v):
			problems[f.Code] = "services.err_pattern"
		}
		if f.Type == "number" && problems[f.Code] == "" {
			var n float64
			fmt.Sscan(v, &n)
			if (f.Min != nil && n < *f.Min) || (f.Max != nil && n > *f.Max) {
				problems[f.Code] = "services.err_range"
			}
		}
		out[f.Code] = v
	}
	return out, problems
}
