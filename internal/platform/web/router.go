// Package web is the shell every module's pages and JSON API run in: the
// router with its access rules, sessions and CSRF checks, templates with
// message catalogs, embedded static assets, JSON conventions, error pages,
// metrics and the middleware chain.
package web

import (
	"net/http"
	"sort"
	"strings"
)

type accessKind int

const (
	accessPublic accessKind = iota
	accessSignedIn
	accessStaff
	accessPermission
	accessKeyScope
)

// Access is the rule a route enforces before its handler runs. Handlers
// then check object-level rights with Authorize.
type Access struct {
	kind  accessKind
	value string
}

var (
	// Public routes need no credentials.
	Public = Access{kind: accessPublic}
	// SignedIn routes need any account (citizen or staff).
	SignedIn = Access{kind: accessSignedIn}
	// StaffOnly routes need a staff account (no particular permission).
	StaffOnly = Access{kind: accessStaff}
)

// Perm requires a permission on some scope.
func Perm(code string) Access { return Access{kind: accessPermission, value: code} }

// KeyScope requires an API key carrying the scope.
func KeyScope(scope string) Access { return Access{kind: accessKeyScope, value: scope} }

// String describes the rule for the route listing and test failures.
func (a Access) String() string {
	switch a.kind {
	case accessPublic:
		return "public"
	case accessSignedIn:
		return "signed-in"
	case accessStaff:
		return "staff"
	case accessPermission:
		return "perm:" + a.value
	case accessKeyScope:
		return "key:" + a.value
	}
	return "?"
}

// Route is one registered endpoint.
type Route struct {
	Method  string
	Path    string
	Access  Access
	API     bool // JSON endpoint (errors as JSON) rather than a page
	Limiter string
}

// Pattern is the ServeMux pattern.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// Router collects routes with their access rules. Every route must be
// registered through it, which is what lets the access-matrix test walk
// all of them.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	shell  *Shell
}

// Page registers an HTML route. pattern is "METHOD /path".
func (rt *Router) Page(pattern string, a Access, h http.HandlerFunc, opts ...RouteOption) {
	rt.add(pattern, a, false, h, opts)
}

// API registers a JSON route. pattern is "METHOD /path".
func (rt *Router) API(pattern string, a Access, h http.HandlerFunc, opts ...RouteOption) {
	rt.add(pattern, a, true, h, opts)
}

// RouteOption adjusts a route, e.g. with a rate limit.
type RouteOption func(*routeConfig)

type routeConfig struct {
	limit    *Limit
	skipCSRF bool
	maxBody  int64
}

// DefaultMaxBody caps the body of every unsafe request before anything
// reads it (the CSRF check parses forms, spilling file parts to
// temporary files): the largest legitimate body is three photos of the
// upload store's 20 MB, or a 64 MB price import, plus the form.
const DefaultMaxBody = 72 << 20

// WithMaxBody sets the route's body cap (DefaultMaxBody otherwise).
func WithMaxBody(n int64) RouteOption { return func(c *routeConfig) { c.maxBody = n } }

// WithLimit applies a rate limit to the route.
func WithLimit(l *Limit) RouteOption { return func(c *routeConfig) { c.limit = l } }

// NoCSRF exempts a form-posting route from the CSRF token check; only for
// machine-to-machine endpoints authenticated by an API key in the body
// (Open311's api_key), never for browser forms.
func NoCSRF() RouteOption { return func(c *routeConfig) { c.skipCSRF = true } }

func (rt *Router) add(pattern string, a Access, api bool, h http.HandlerFunc, opts []RouteOption) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("web: route pattern must be \"METHOD /path\": " + pattern)
	}
	var cfg routeConfig
	for _, o := range opts {
		o(&cfg)
	}
	route := Route{Method: method, Path: path, Access: a, API: api}
	if cfg.limit != nil {
		route.Limiter = cfg.limit.Name
	}
	rt.routes = append(rt.routes, route)
	rt.mux.Handle(pattern, rt.shell.guard(route, cfg, h))
}

// Routes lists every registered route, sorted, for tests and docs.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
