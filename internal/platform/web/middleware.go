package web

import (
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// statusRecorder remembers the status code and size for logs and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

const requestIDHeader = "X-Request-Id"

func requestIDOf(r *http.Request) string { return r.Header.Get(requestIDHeader) }

// observe assigns a request id, then logs and measures every request.
// The log line carries the route pattern, never the raw query string,
// because query strings can hold personal data.
func (s *Shell) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		r.Header.Set(requestIDHeader, id)
		w.Header().Set(requestIDHeader, id)
		rec := &statusRecorder{ResponseWriter: w}
		st := &requestState{requestID: id}
		next.ServeHTTP(rec, withState(r, st))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := st.route
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		if s.metrics != nil {
			s.metrics.observe(route, rec.status, elapsed)
		}
		level := s.log.Debug
		if rec.status >= 500 {
			level = s.log.Error
		} else if strings.HasPrefix(r.URL.Path, "/api/") || r.Method != http.MethodGet {
			level = s.log.Info
		}
		level("request", "method", r.Method, "route", route, "status", rec.status, "bytes", rec.bytes,
			"ms", float64(elapsed.Microseconds())/1000, "request_id", id)
	})
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recoverPanics turns a handler panic into the friendly 500 page and a
// log line with the stack, instead of a dropped connection.
func (s *Shell) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "panic", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", requestIDOf(r))
				s.serverError(w, r)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries. The content
// security policy allows only this origin's scripts and styles, plus map
// tiles from any https origin (the tile server is configurable).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// gzipMinSize is the smallest body worth compressing: below about 1 KB
// gzip's header and trailer eat most of the gain, while compressing still
// costs CPU on every request (most API answers are a few hundred bytes).
const gzipMinSize = 1024

// gzipWriter compresses text responses of at least gzipMinSize bytes;
// images, already-compressed and short bodies pass through. A compressible
// body's status and first bytes are held back until there are enough of
// them to decide (or the handler ends or flushes).
type gzipWriter struct {
	http.ResponseWriter
	gz     *gzip.Writer
	state  gzipState
	status int    // held back while holding
	held   []byte // the start of the body, while holding
}

type gzipState int

const (
	gzipUndecided gzipState = iota
	gzipHolding             // compressible: waiting for gzipMinSize bytes
	gzipPlain               // passing through
	gzipActive              // compressing
)

func (g *gzipWriter) WriteHeader(code int) {
	if g.state != gzipUndecided {
		g.ResponseWriter.WriteHeader(code)
		return
	}
	h := g.Header()
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		g.state = gzipPlain
		g.ResponseWriter.WriteHeader(code)
		return
	}
	g.state, g.status = gzipHolding, code
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.state == gzipUndecided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	switch g.state {
	case gzipHolding:
		g.held = append(g.held, b...)
		if len(g.held) >= gzipMinSize {
			if err := g.startGzip(); err != nil {
				return 0, err
			}
		}
		return len(b), nil
	case gzipActive:
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// startGzip sends the held status and bytes compressed.
func (g *gzipWriter) startGzip() error {
	h := g.Header()
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	g.ResponseWriter.WriteHeader(g.status)
	g.gz = gzipPool.Get().(*gzip.Writer)
	g.gz.Reset(g.ResponseWriter)
	g.state = gzipActive
	held := g.held
	g.held = nil
	_, err := g.gz.Write(held)
	return err
}

// sendHeld sends the held status and bytes as they are.
func (g *gzipWriter) sendHeld() error {
	g.state = gzipPlain
	g.ResponseWriter.WriteHeader(g.status)
	_, err := g.ResponseWriter.Write(g.held)
	g.held = nil
	return err
}

// Flush sends what is held: a handler that flushes is streaming, so the
// rest of its body is likely long, and compressing it is worth it.
func (g *gzipWriter) Flush() {
	if g.state == gzipHolding {
		_ = g.startGzip()
	}
	if g.state == gzipActive {
		_ = g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *gzipWriter) close() {
	switch g.state {
	case gzipHolding:
		_ = g.sendHeld()
	case gzipActive:
		_ = g.gz.Close()
		gzipPool.Put(g.gz)
	}
}

func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/xml", ct == "application/javascript",
		ct == "application/manifest+json", ct == "image/svg+xml", ct == "application/geo+json",
		ct == "application/fhir+json", ct == "application/openmetrics-text":
		return true
	}
	return false
}

func gzipMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}
