package jobs

import "errors"

// ErrNotFound is returned by Get and Retry for an id that is not in the
// table (never created, or pruned).
var ErrNotFound = errors.New("jobs: no such job")

// Permanent marks a handler error that retrying cannot fix (a payload that
// does not decode, a recipient that does not exist): the job fails at once
// instead of using up its attempts.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
