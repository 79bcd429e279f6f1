package health

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/sodamolek/sodamolek/internal/health/growth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// maxZScoreBatch bounds one request of the public calculator API.
const maxZScoreBatch = 1000

// zscoreRequest is one child in POST /api/v1/growth/zscores.
type zscoreRequest struct {
	Sex      string   `json:"sex"`
	AgeDays  *int     `json:"age_days"`
	WeightKg *float64 `json:"weight_kg"`
	LenHeiCm *float64 `json:"lenhei_cm"`
	Measure  string   `json:"measure"`
	Oedema   bool     `json:"oedema"`
}

// zscoreResult is the answer for one child; a value that cannot be
// computed is null.
type zscoreResult struct {
	HAZ              *float64      `json:"haz"`
	WAZ              *float64      `json:"waz"`
	WHZ              *float64      `json:"whz"`
	BAZ              *float64      `json:"baz"`
	LenHeiAdjustedCm *float64      `json:"lenhei_adjusted_cm"`
	Flags            []growth.Flag `json:"flags"`
}

// fieldError is a refused value: the field (as the client named it) and
// the message key.
type fieldError struct {
	Field, Key string
}

func (e *fieldError) Error() string { return e.Field + ": " + e.Key }

// toInput checks one request and converts it for growth.Assess.
func (q zscoreRequest) toInput() (growth.Input, error) {
	in := growth.Input{WeightKg: q.WeightKg, LenHeiCm: q.LenHeiCm, Oedema: q.Oedema}
	switch q.Sex {
	case "male":
		in.Sex = growth.Male
	case "female":
		in.Sex = growth.Female
	default:
		return in, &fieldError{"sex", "health.err.sex"}
	}
	if q.AgeDays == nil {
		return in, &fieldError{"age_days", "health.err.age_required"}
	}
	in.AgeDays = *q.AgeDays
	switch q.Measure {
	case "lying":
		in.Position = growth.Lying
	case "standing":
		in.Position = growth.Standing
	case "":
	default:
		return in, &fieldError{"measure", "health.err.position"}
	}
	return in, nil
}

// assess runs the WHO computation; impossible values come back as a
// *fieldError naming the request field.
func assess(in growth.Input) (growth.Result, error) {
	res, err := growth.Assess(in)
	var ie *growth.InputError
	if errors.As(err, &ie) {
		return res, &fieldError{apiField(ie.Field), "health.err." + string(ie.Code)}
	}
	return res, err
}

// apiField maps the growth package's field names to the contract's.
func apiField(f string) string {
	switch f {
	case growth.FieldLenHei:
		return "lenhei_cm"
	case growth.FieldPosition:
		return "measure"
	}
	return f
}

func toResult(r growth.Result) zscoreResult {
	out := zscoreResult{HAZ: r.HAZ, WAZ: r.WAZ, WHZ: r.WHZ, BAZ: r.BAZ, Flags: r.Flags}
	if r.LenHeiAdjustedCm != nil {
		v := math.Round(*r.LenHeiAdjustedCm*100) / 100
		out.LenHeiAdjustedCm = &v
	}
	if out.Flags == nil {
		out.Flags = []growth.Flag{}
	}
	return out
}

// apiZScores is POST /api/v1/growth/zscores: one child (an object) or up
// to 1,000 (an array, answered in the same order). The whole request is
// refused with 422 when any child's values are impossible (weight 0, a
// length of 300 cm, a negative age); the message names the child's index.
func (m *Module) apiZScores(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	var raw json.RawMessage
	if err := sh.DecodeJSON(w, r, &raw, 512<<10); err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	batch := len(trimmed) > 0 && trimmed[0] == '['
	var reqs []zscoreRequest
	var one zscoreRequest
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	var err error
	if batch {
		err = dec.Decode(&reqs)
	} else {
		err = dec.Decode(&one)
		reqs = []zscoreRequest{one}
	}
	if err != nil {
		sh.WriteAPIError(w, r, m.jsonFieldError(r, err))
		return
	}
	if batch && (len(reqs) == 0 || len(reqs) > maxZScoreBatch) {
		msg := sh.T(r, "health.err.batch_size", maxZScoreBatch)
		sh.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{"body": msg}))
		return
	}
	out := make([]zscoreResult, len(reqs))
	for i, q := range reqs {
		in, err := q.toInput()
		var res growth.Result
		if err == nil {
			res, err = assess(in)
		}
		var fe *fieldError
		if errors.As(err, &fe) {
			field := fe.Field
			if batch {
				field = fmt.Sprintf("[%d].%s", i, fe.Field)
			}
			msg := sh.T(r, fe.Key)
			sh.WriteAPIError(w, r, web.ValidationError(sh.T(r, "health.err.child_values", field, msg), map[string]string{field: msg}))
			return
		} else if err != nil {
			sh.WriteAPIError(w, r, err)
			return
		}
		out[i] = toResult(res)
	}
	if batch {
		web.WriteJSON(w, http.StatusOK, out)
		return
	}
	web.WriteJSON(w, http.StatusOK, out[0])
}

// jsonFieldError turns a decoding error of the inner value into the API's
// error shape (the outer DecodeJSON already checked the syntax).
func (m *Module) jsonFieldError(r *http.Request, err error) error {
	sh := m.d.Shell
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		msg := sh.T(r, "error.json_type", typ.Field, typ.Type.String())
		return &web.APIError{Status: http.StatusBadRequest, Code: "invalid_field", Message: msg, Fields: map[string]string{typ.Field: msg}}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		msg := sh.T(r, "error.json_unknown_field", f)
		return &web.APIError{Status: http.StatusBadRequest, Code: "unknown_field", Message: msg, Fields: map[string]string{f: msg}}
	}
	msg := sh.T(r, "health.err.json_shape", err.Error())
	return &web.APIError{Status: http.StatusBadRequest, Code: "invalid_json", Message: msg}
}
