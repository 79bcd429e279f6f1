package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// crossOrigin rejects unsafe requests that a browser marks as coming from
// another site (Sec-Fetch-Site / Origin), Go's built-in defence.
var crossOrigin = http.NewCrossOriginProtection()

// guard wraps a route's handler with its access rule, rate limit and CSRF
// check, in that order: an unauthorised caller learns nothing else.
func (s *Shell) guard(route Route, cfg routeConfig, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateFrom(r)
		st.route = route.Pattern()
		p := st.principal
		if !allowed(route.Access, p) {
			s.deny(w, r, route, p)
			return
		}
		if cfg.limit != nil {
			if ok, retry := cfg.limit.Allow(r); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(retry))
				if route.API {
					WriteError(w, r, http.StatusTooManyRequests, "rate_limited", s.T(r, "error.rate_limited"), nil)
				} else {
					s.Render.Error(w, r, http.StatusTooManyRequests, s.T(r, "error.rate_limited"))
				}
				return
			}
		}
		if name, ok := storableRequestText(r); !ok {
			s.refuseText(w, r, route, name)
			return
		}
		if !safeMethod(r.Method) {
			limit := cfg.maxBody
			if limit <= 0 {
				limit = DefaultMaxBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if !safeMethod(r.Method) && !cfg.skipCSRF {
			if err := crossOrigin.Check(r); err != nil {
				s.forbidCSRF(w, r, route)
				return
			}
			// Requests authenticated by a bearer credential cannot be
			// forged by a browser; everything else must echo the token.
			if r.Header.Get("Authorization") == "" {
				ok, err := s.validCSRF(r, st)
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					msg := s.T(r, "error.body_too_large", tooLarge.Limit)
					if route.API {
						WriteError(w, r, http.StatusRequestEntityTooLarge, "too_large", msg, nil)
					} else {
						s.Render.Error(w, r, http.StatusRequestEntityTooLarge, msg)
					}
					return
				}
				if !ok {
					s.forbidCSRF(w, r, route)
					return
				}
			}
		}
		h(w, r)
	})
}

// validCSRF compares the request's token with the session's; err is
// why the form could not be read (a body over the route's cap).
func (s *Shell) validCSRF(r *http.Request, st *requestState) (bool, error) {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		// ParseMultipartForm also fills PostFormValue for multipart
		// forms; maxFormMemory protects memory, the body cap the disk.
		if err := r.ParseMultipartForm(maxFormMemory); err != nil && err != http.ErrNotMultipart {
			return false, err
		}
		got = r.PostFormValue("csrf_token")
	}
	return got != "" && st.csrf != "" && subtle.ConstantTimeCompare([]byte(got), []byte(st.csrf)) == 1, nil
}

// maxFormMemory caps the part of a multipart form held in memory; larger
// file parts spill to temporary files and are size-checked by the upload
// store.
const maxFormMemory = 8 << 20

func (s *Shell) forbidCSRF(w http.ResponseWriter, r *http.Request, route Route) {
	if route.API {
		WriteError(w, r, http.StatusForbidden, "csrf", s.T(r, "error.csrf"), nil)
		return
	}
	s.Render.Error(w, r, http.StatusForbidden, s.T(r, "error.csrf"))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func allowed(a Access, p *auth.Principal) bool {
	switch a.kind {
	case accessPublic:
		return true
	case accessSignedIn:
		return p.Authenticated() && p.Kind != auth.APIKey
	case accessStaff:
		return p.Authenticated() && p.Kind == auth.Staff
	case accessPermission:
		return p.Has(a.value)
	case accessKeyScope:
		return p.HasKeyScope(a.value)
	}
	return false
}

// deny answers 401 to anonymous callers (pages redirect to sign-in) and
// 403 to signed-in callers without the right.
func (s *Shell) deny(w http.ResponseWriter, r *http.Request, route Route, p *auth.Principal) {
	// The marker lets the access-matrix test tell a route-level refusal
	// from a handler's own 403 (an object outside the caller's scope).
	w.Header().Set(DeniedHeader, "access")
	if route.API {
		if !p.Authenticated() {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sodamolek"`)
			WriteError(w, r, http.StatusUnauthorized, "unauthenticated", s.T(r, "error.unauthenticated"), nil)
			return
		}
		WriteError(w, r, http.StatusForbidden, "forbidden", s.T(r, "error.forbidden"), nil)
		return
	}
	if !p.Authenticated() {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, SignInPath+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		s.Render.Error(w, r, http.StatusUnauthorized, s.T(r, "error.unauthenticated"))
		return
	}
	s.Render.Error(w, r, http.StatusForbidden, s.T(r, "error.forbidden"))
}

// DeniedHeader marks responses refused by a route's access rule.
const DeniedHeader = "X-Sodamolek-Denied"

// SignInPath is the staff and citizen sign-in page.
const SignInPath = "/masuk"

// Authorize is the object-level check: may the request's principal use
// permission on an object owned by unitCode? Handlers call it after
// loading the object and answer 403 (or 404, to hide existence) when not.
func Authorize(r *http.Request, permission, unitCode string, tree auth.UnitTree) bool {
	return PrincipalOf(r).Can(permission, unitCode, tree)
}
