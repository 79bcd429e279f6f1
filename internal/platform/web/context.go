package web

import (
	"context"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

type ctxKey int

const (
	keyRequest ctxKey = iota
)

// requestState is what the shell learns about a request before the
// handler runs.
type requestState struct {
	principal *auth.Principal
	locale    i18n.Locale
	csrf      string
	clientIP  string
	requestID string
	// route is the matched pattern, set by the route guard, read by the
	// request log and metrics in the outer middleware.
	route string
	// viaSession is true when the principal came from the session cookie
	// (so unsafe methods need a CSRF token), false for bearer tokens.
	viaSession bool
}

func stateFrom(r *http.Request) *requestState {
	if s, ok := r.Context().Value(keyRequest).(*requestState); ok {
		return s
	}
	// Outside the middleware chain (unit tests of a handler).
	return &requestState{principal: auth.AnonymousPrincipal, locale: i18n.Default}
}

func withState(r *http.Request, s *requestState) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), keyRequest, s))
}

// PrincipalOf returns the actor of the request (never nil).
func PrincipalOf(r *http.Request) *auth.Principal { return stateFrom(r).principal }

// LocaleOf returns the language chosen for the request.
func LocaleOf(r *http.Request) i18n.Locale { return stateFrom(r).locale }

// ClientIP returns the caller's address (from X-Forwarded-For only when
// the server is configured to trust its proxy).
func ClientIP(r *http.Request) string { return stateFrom(r).clientIP }

// RequestID returns the id logged with the request and shown on error
// pages, so a citizen's complaint can be matched with the log line.
func RequestID(r *http.Request) string { return stateFrom(r).requestID }

// CSRFToken returns the token forms must echo back.
func CSRFToken(r *http.Request) string { return stateFrom(r).csrf }
