package services

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The catalog edit page shows a service's simple attributes as inputs and
// everything else as a JSON text. This file turns that text back into a
// Service and explains a refused definition in the user's language with
// the JSON path of each problem. Service.Validate stays the gate: the
// explanation only says where and why.

// definitionJSON is a service definition without the attributes the page
// edits in its own inputs: the code (from the URL), name, description,
// eligibility and fee. The shadowing fields are shallower than the
// embedded Service's, so encoding/json leaves those keys out when
// printing and routes them here when reading, where their presence is
// reported instead of silently losing to the form. Every other field of
// Service, including ones added later, passes through unchanged.
type definitionJSON struct {
	Service
	Code        *formOwned `json:"code,omitempty"`
	Name        *formOwned `json:"name,omitempty"`
	Description *formOwned `json:"description,omitempty"`
	Eligibility *formOwned `json:"eligibility,omitempty"`
	Fee         *formOwned `json:"fee,omitempty"`
}

// formOwned marks a key that belongs to the form, not the JSON text.
type formOwned struct{}

// UnmarshalJSON accepts any value: only the key's presence matters.
func (*formOwned) UnmarshalJSON([]byte) error { return nil }

// maxDefinitionBytes matches the body limit of PUT /api/v1/services/{code}.
const maxDefinitionBytes = 256 << 10

// prettyDefinition prints the structured part of a service for the
// textarea.
func prettyDefinition(s Service) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(definitionJSON{Service: s}); err != nil {
		// A Service is plain data: encoding cannot fail.
		panic(err)
	}
	return strings.TrimRight(buf.String(), "\n")
}

// defProblem is one reason a definition is refused: the JSON path of the
// value ("stages[2].sla_days"; empty for the text as a whole), a message
// key and its arguments. Arguments of type msgKey are translated too.
type defProblem struct {
	Path string
	Key  string
	Args []any
}

// msgKey is a message argument that is itself a message key.
type msgKey string

// parseDefinition reads the textarea into a Service. Problems are JSON
// syntax and type errors, unknown keys and keys the form owns; decoded
// reports whether the text was read (a key the form owns does not stop
// it), so that the service can still be validated.
func parseDefinition(text string) (s Service, problems []defProblem, decoded bool) {
	if strings.TrimSpace(text) == "" {
		return Service{}, []defProblem{{Key: "services.err_required"}}, false
	}
	if len(text) > maxDefinitionBytes {
		return Service{}, []defProblem{{Key: "services.err_too_long"}}, false
	}
	var d definitionJSON
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Service{}, []defProblem{jsonProblem(text, err)}, false
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := text[end:]
		line, col := position(text, end+int64(len(rest)-len(strings.TrimLeft(rest, " \t\r\n"))))
		return Service{}, []defProblem{{Key: "services.manage_err_json_trailing", Args: []any{line, col}}}, false
	}
	var out []defProblem
	for key, v := range map[string]*formOwned{"code": d.Code, "name": d.Name, "description": d.Description,
		"eligibility": d.Eligibility, "fee": d.Fee} {
		if v != nil {
			out = append(out, defProblem{Path: key, Key: "services.manage_err_form_owned"})
		}
	}
	slices.SortFunc(out, func(a, b defProblem) int { return strings.Compare(a.Path, b.Path) })
	return d.Service, out, true
}

// unknownField is how encoding/json reports a key no field takes.
var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

func jsonProblem(text string, err error) defProblem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The offset is just after the offending character.
		line, col := position(text, syn.Offset-1)
		return defProblem{Key: "services.manage_err_json_syntax", Args: []any{line, col}}
	case errors.As(err, &typ):
		// The offset is just after the value: point at its last character.
		line, col := position(text, typ.Offset-1)
		path := strings.TrimPrefix(typ.Field, "Service.")
		return defProblem{Path: path, Key: "services.manage_err_json_type", Args: []any{line, col, kindName(typ.Type)}}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return defProblem{Key: "services.manage_err_json_eof"}
	}
	if m := unknownField.FindStringSubmatch(err.Error()); m != nil {
		return defProblem{Path: m[1], Key: "services.manage_err_json_unknown", Args: []any{m[1]}}
	}
	return defProblem{Key: "services.manage_err_json_other", Args: []any{err.Error()}}
}

// kindName names the JSON value a Go type expects.
func kindName(t reflect.Type) msgKey {
	if t == nil {
		return "services.manage_kind_value"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "services.manage_kind_integer"
	case reflect.Float32, reflect.Float64:
		return "services.manage_kind_number"
	case reflect.String:
		return "services.manage_kind_text"
	case reflect.Bool:
		return "services.manage_kind_bool"
	case reflect.Slice, reflect.Array:
		return "services.manage_kind_list"
	case reflect.Struct, reflect.Map:
		return "services.manage_kind_object"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return "services.manage_kind_value"
}

// position turns a byte offset into a 1-based line and column.
func position(text string, offset int64) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	col = utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// explainDefinition lists what Service.Validate refuses in s, each with
// its JSON path, following the validator's rules and order.
func explainDefinition(s *Service) []defProblem {
	var out []defProblem
	add := func(path, key string, args ...any) { out = append(out, defProblem{Path: path, Key: key, Args: args}) }
	if !codePattern.MatchString(s.Code) {
		add("code", "services.manage_err_code", s.Code)
	}
	if strings.TrimSpace(s.Name) == "" {
		add("name", "services.err_required")
	}
	if s.Fee < 0 {
		add("fee", "services.manage_err_negative")
	}
	docs := map[string]bool{}
	for i, d := range s.Documents {
		p := fmt.Sprintf("documents[%d]", i)
		if !codePattern.MatchString(d.Type) || docs[d.Type] {
			add(p+".type", "services.manage_err_code", d.Type)
		}
		docs[d.Type] = true
		for j, f := range d.Formats {
			if !slices.Contains(knownFormats, f) {
				add(fmt.Sprintf("%s.formats[%d]", p, j), "services.manage_err_format", f)
			}
		}
	}
	out = append(out, explainFields("fields", s.Fields)...)
	if len(s.Stages) == 0 {
		add("stages", "services.manage_err_no_stages")
	}
	stages := map[string]bool{}
	for i, st := range s.Stages {
		p := fmt.Sprintf("stages[%d]", i)
		if !codePattern.MatchString(st.Code) || stages[st.Code] {
			add(p+".code", "services.manage_err_code", st.Code)
		}
		if st.Unit == "" {
			add(p+".unit", "services.err_required")
		}
		if st.SLADays < 0 {
			add(p+".sla_days", "services.manage_err_negative")
		}
		for j, a := range st.Actions {
			if !slices.Contains(knownActions, a) {
				add(fmt.Sprintf("%s.actions[%d]", p, j), "services.manage_err_action", a)
			}
		}
		for j, a := range st.After {
			if !stages[a] {
				add(fmt.Sprintf("%s.after[%d]", p, j), "services.manage_err_after", a)
			}
		}
		if st.Payment && (i == 0 || st.Bill != "") {
			add(p+".payment", "services.manage_err_payment")
		}
		if st.Bill != "" && st.Bill != "pnbp" && st.Bill != "skrd" {
			add(p+".bill", "services.manage_err_bill", st.Bill)
		}
		out = append(out, explainFields(p+".records", st.Records)...)
		stages[st.Code] = true
	}
	return out
}

func explainFields(base string, fs []Field) []defProblem {
	var out []defProblem
	seen := map[string]bool{}
	for i, f := range fs {
		p := fmt.Sprintf("%s[%d]", base, i)
		if !codePattern.MatchString(f.Code) || seen[f.Code] {
			out = append(out, defProblem{Path: p + ".code", Key: "services.manage_err_code", Args: []any{f.Code}})
		}
		seen[f.Code] = true
		if !slices.Contains(knownTypes, f.Type) {
			out = append(out, defProblem{Path: p + ".type", Key: "services.manage_err_field_type", Args: []any{f.Type}})
		}
		if f.Type == "select" && len(f.Options) == 0 {
			out = append(out, defProblem{Path: p + ".options", Key: "services.manage_err_options"})
		}
		if f.Pattern != "" {
			if _, err := regexp.Compile(f.Pattern); err != nil {
				out = append(out, defProblem{Path: p + ".pattern", Key: "services.manage_err_pattern"})
			}
		}
	}
	return out
}
