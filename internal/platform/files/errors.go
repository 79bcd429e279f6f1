package files

import (
	"errors"
	"net/http"
)

// Error is a refusal that a client can act on: the upload (or the key it
// asked for) is wrong, not the server. Each Error carries a stable machine
// code, which handlers use to pick a translated message, and the HTTP
// status that fits it.
//
// The exported Err* values are the only instances; functions in this
// package wrap them with details, so test with [errors.Is] and read the
// code with [ErrorCode] or [errors.As].
type Error struct {
	code   string
	status int
	msg    string
}

// Refusals reported by [Uploads.Save] and the stores.
var (
	// ErrTooLarge: the upload is longer than Policy.MaxBytes.
	ErrTooLarge = &Error{code: "too_large", status: http.StatusRequestEntityTooLarge, msg: "file too large"}
	// ErrUnsupportedType: the content is not one of the allowed types,
	// whatever its name or declared type claims.
	ErrUnsupportedType = &Error{code: "unsupported_type", status: http.StatusUnsupportedMediaType, msg: "unsupported file type"}
	// ErrCorrupt: the content starts like an allowed type but cannot be
	// decoded, or is truncated.
	ErrCorrupt = &Error{code: "corrupt", status: http.StatusUnprocessableEntity, msg: "corrupt file"}
	// ErrTooManyPixels: the image declares more pixels than
	// Policy.MaxPixels, which is how decompression bombs look.
	ErrTooManyPixels = &Error{code: "too_many_pixels", status: http.StatusUnprocessableEntity, msg: "image has too many pixels"}
	// ErrInvalidKey: a store key that could escape the store or is not in
	// the key alphabet (see [Store]).
	ErrInvalidKey = &Error{code: "invalid_key", status: http.StatusBadRequest, msg: "invalid file key"}
)

func (e *Error) Error() string { return "files: " + e.msg }

// Code returns the stable machine code, such as "too_large".
func (e *Error) Code() string { return e.code }

// HTTPStatus returns the status a handler should answer with.
func (e *Error) HTTPStatus() int { return e.status }

// ErrorCode returns the machine code of the first [*Error] in err's chain,
// or "" when err is not a client-caused refusal (an I/O failure, a
// cancelled context, nil).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.code
	}
	return ""
}
