package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// ErrorBody is the JSON API's one error shape:
// {"error":{"code":"…","message":"…","fields":{…}}}.
type ErrorBody struct {
	Error APIError `json:"error"`
}

// APIError is a client-facing error; Fields maps a request field to a
// message about it.
type APIError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// WriteJSON writes v with the status code.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// WriteError writes the standard error body.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code, message string, fields map[string]string) {
	WriteJSON(w, status, ErrorBody{Error: APIError{Code: code, Message: message, Fields: fields}})
}

// WriteAPIError writes an *APIError, or a generic 500 for anything else
// (the cause is logged by the caller, never sent).
func (s *Shell) WriteAPIError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *APIError
	if errors.As(err, &ae) {
		WriteJSON(w, ae.Status, ErrorBody{Error: *ae})
		return
	}
	s.log.Error("internal error", "err", err, "route", r.Pattern, "request_id", RequestID(r))
	WriteError(w, r, http.StatusInternalServerError, "internal", s.T(r, "error.internal", RequestID(r)), nil)
}

// MaxJSONBody is the default cap on request bodies.
const MaxJSONBody = 1 << 20

// DecodeJSON reads a JSON body into dst: at most maxBytes, unknown fields
// refused, exactly one value. Errors are *APIError ready to write, in the
// request's language.
func (s *Shell) DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, maxBytes int64) error {
	if maxBytes <= 0 {
		maxBytes = MaxJSONBody
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasSuffix(strings.Split(ct, ";")[0], "+json") {
		return &APIError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: s.T(r, "error.json_content_type")}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return s.jsonError(r, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_json", Message: s.T(r, "error.json_trailing")}
	}
	// A JSON string may carry "\u0000", which PostgreSQL's text columns
	// refuse: it is refused here, once for every API, naming the field.
	// (Invalid UTF-8 in a string is replaced by U+FFFD while decoding.)
	if field, found := nulField(reflect.ValueOf(dst), ""); found {
		msg := s.T(r, "error.text_invalid")
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_text", Message: msg, Fields: map[string]string{field: msg}}
	}
	return nil
}

func (s *Shell) jsonError(r *http.Request, err error) *APIError {
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return &APIError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: s.T(r, "error.body_too_large", mbe.Limit)}
	case errors.As(err, &syn):
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_json", Message: s.T(r, "error.json_syntax", syn.Offset)}
	case errors.As(err, &typ):
		field := typ.Field
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_field", Message: s.T(r, "error.json_type", field, typ.Type.String()),
			Fields: map[string]string{field: s.T(r, "error.json_type", field, typ.Type.String())}}
	case errors.Is(err, io.EOF):
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_json", Message: s.T(r, "error.json_empty")}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &APIError{Status: http.StatusBadRequest, Code: "unknown_field", Message: s.T(r, "error.json_unknown_field", field),
			Fields: map[string]string{field: s.T(r, "error.json_unknown_field", field)}}
	default:
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_json", Message: s.T(r, "error.json_syntax", 0)}
	}
}

// ValidationError builds a 422 with per-field messages (already
// translated).
func ValidationError(message string, fields map[string]string) *APIError {
	return &APIError{Status: http.StatusUnprocessableEntity, Code: "validation", Message: message, Fields: fields}
}

// BadParam builds a 400 naming a malformed query parameter.
func (s *Shell) BadParam(r *http.Request, name string) *APIError {
	msg := s.T(r, "error.bad_param", name)
	return &APIError{Status: http.StatusBadRequest, Code: "invalid_parameter", Message: msg, Fields: map[string]string{name: msg}}
}

// Page is a cursor-paginated list: Next is opaque and absent on the last
// page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}

// EncodeCursor makes an opaque cursor from the last item's sort key.
func EncodeCursor(key any) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into dst; an empty
// cursor leaves dst untouched and returns false.
func DecodeCursor(cursor string, dst any) (bool, error) {
	if cursor == "" {
		return false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) > 512 {
		return false, fmt.Errorf("cursor is not valid")
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return false, fmt.Errorf("cursor is not valid")
	}
	return true, nil
}
