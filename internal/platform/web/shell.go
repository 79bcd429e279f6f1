package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

// Authenticator turns credentials into a principal. The identity layer
// implements it; the shell only needs these two questions answered.
type Authenticator interface {
	// SessionPrincipal resolves a session cookie value; (nil, nil) when
	// the session is unknown or expired.
	SessionPrincipal(ctx context.Context, token string) (*auth.Principal, error)
	// BearerPrincipal resolves an Authorization: Bearer credential (an
	// API token or an API key); (nil, nil) when it is not valid.
	BearerPrincipal(ctx context.Context, token string) (*auth.Principal, error)
}

// Site is what every page knows about the city and the deployment.
type Site struct {
	Name       string // "Sodamolek"
	CityName   string // "Kota Kupang"
	PublicURL  string
	TileURL    string
	TileAttrib string
	Demo       bool
	MapLat     float64
	MapLon     float64
	MapZoom    int
}

// Options configures a Shell.
type Options struct {
	Site       Site
	Logger     *slog.Logger
	Catalog    *i18n.Catalog
	Auth       Authenticator
	Metrics    prometheus.Registerer
	TrustProxy bool
	// SecureCookies forces the Secure attribute (served over TLS, or
	// behind a TLS-terminating proxy).
	SecureCookies bool
}

// Shell is the web application frame shared by all modules.
type Shell struct {
	opts      Options
	log       *slog.Logger
	catalog   *i18n.Catalog
	auth      Authenticator
	Assets    *Assets
	Render    *Renderer
	Router    *Router
	metrics   *httpMetrics
	OpenAPI   *OpenAPI
	nav       []NavItem
	homeLinks []HomeLink
}

// NewShell builds the shell; modules then add routes, templates, static
// files, navigation and home links, and Handler returns the final
// http.Handler.
func NewShell(opts Options) (*Shell, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Catalog == nil {
		opts.Catalog = i18n.NewCatalog()
	}
	s := &Shell{opts: opts, log: opts.Logger, catalog: opts.Catalog, auth: opts.Auth}
	if err := s.catalog.AddFS(mustSub(localeFiles, "locales"), "web"); err != nil {
		return nil, err
	}
	assets, err := NewAssets(mustSub(staticFiles, "static"))
	if err != nil {
		return nil, err
	}
	s.Assets = assets
	s.Render, err = newRenderer(s)
	if err != nil {
		return nil, err
	}
	s.Router = &Router{mux: http.NewServeMux(), shell: s}
	s.OpenAPI = newOpenAPI(opts.Site)
	if opts.Metrics != nil {
		s.metrics = newHTTPMetrics(opts.Metrics)
	}
	s.registerShellRoutes()
	return s, nil
}

// Catalog gives modules the message catalog (for texts outside pages).
func (s *Shell) Catalog() *i18n.Catalog { return s.catalog }

// Logger is the shell's logger.
func (s *Shell) Logger() *slog.Logger { return s.log }

// Site describes the deployment.
func (s *Shell) Site() Site { return s.opts.Site }

// SetAuthenticator installs the identity layer (it is built after the
// shell because it registers routes on it).
func (s *Shell) SetAuthenticator(a Authenticator) { s.auth = a }

// Handler returns the complete HTTP handler with the middleware chain,
// outermost first: panic recovery, request log and metrics, security
// headers, compression, then identification (principal, language, CSRF
// token), then the router, whose per-route guard enforces access.
func (s *Shell) Handler() http.Handler {
	var h http.Handler = s.Router.mux
	h = s.identify(h)
	h = gzipMiddleware(h)
	h = securityHeaders(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	return h
}

// SessionCookie is the session cookie's name.
const SessionCookie = "smk_session"

// csrfCookie holds the anti-forgery token of visitors without a session.
const csrfCookie = "smk_csrf"

func (s *Shell) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// observe created the state; fill it in place so the outer
		// middleware sees what the inner layers learn.
		st := stateFrom(r)
		st.principal, st.locale, st.clientIP = auth.AnonymousPrincipal, i18n.FromRequest(r), s.clientIP(r)
		if s.auth != nil {
			if h := r.Header.Get("Authorization"); h != "" {
				scheme, token, _ := strings.Cut(h, " ")
				if strings.EqualFold(scheme, "Bearer") && token != "" {
					p, err := s.auth.BearerPrincipal(r.Context(), strings.TrimSpace(token))
					if err != nil {
						s.log.Error("bearer lookup failed", "err", err, "request_id", st.requestID)
					} else if p != nil {
						st.principal = p
					}
				}
			} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				p, err := s.auth.SessionPrincipal(r.Context(), c.Value)
				if err != nil {
					s.log.Error("session lookup failed", "err", err, "request_id", st.requestID)
				} else if p != nil {
					st.principal, st.viaSession, st.csrf = p, true, p.CSRFToken
				}
			}
		}
		if st.csrf == "" {
			if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
				st.csrf = c.Value
			} else if r.Header.Get("Authorization") == "" {
				st.csrf = randomToken()
				http.SetCookie(w, s.cookie(csrfCookie, st.csrf, 0))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Cookie builds a cookie with the shell's security attributes: HttpOnly,
// SameSite=Lax (so a link from WhatsApp still arrives signed in), Secure
// when served over TLS. maxAge 0 makes a browser-session cookie.
func (s *Shell) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge}
}

// SetSessionCookie stores a new session token in the browser and rotates
// the anti-forgery cookie with it.
func (s *Shell) SetSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, s.cookie(SessionCookie, token, maxAge))
	http.SetCookie(w, s.cookie(csrfCookie, randomToken(), 0))
}

// ClearSessionCookie removes the session cookie.
func (s *Shell) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, s.cookie(SessionCookie, "", -1))
}

func (s *Shell) clientIP(r *http.Request) string {
	if s.opts.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
