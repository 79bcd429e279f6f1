package services

import "net/http"

// Error is a refusal the client can act on. Key is a message key in
// locales/*.json; Fields maps form fields to message keys; Checklist is
// set when a submission is incomplete.
type Error struct {
	Status    int
	Code      string
	Key       string
	Args      []any
	Fields    map[string]string
	Checklist []ChecklistItem
}

func (e *Error) Error() string { return e.Code + ": " + e.Key }

func errNotFound() *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Key: "services.err_not_found"}
}

func errForbidden() *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Key: "services.err_forbidden"}
}

func errConflict(code, key string) *Error {
	return &Error{Status: http.StatusConflict, Code: code, Key: key}
}

func errInvalid(key string, fields map[string]string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation", Key: key, Fields: fields}
}
