// Package apptest starts a complete Sodamolek — every registered module,
// a real database on the engine the environment selects, and a real HTTP
// server on a loopback port — for tests that go through HTTP like a
// browser or an integration would.
package apptest

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// Server is a running test instance.
type Server struct {
	*httptest.Server
	App    *app.App
	Clock  *clock.Manual
	Outbox *Outbox
	Logs   *SyncBuffer
}

// Options adjust Start.
type Options struct {
	// Args are extra serve flags (e.g. "--demo").
	Args []string
	// DatabaseURL shares a database between servers; empty makes a fresh one.
	DatabaseURL string
	// Now starts the manual clock (default 2026-12-04 09:00 WITA).
	Now time.Time
}

// Start builds the app on a fresh database and serves it over HTTP until
// the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.DatabaseURL == "" {
		opts.DatabaseURL = dbtest.URL(t)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	}
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	config.Register(fs, &cfg, config.Storage|config.Server)
	args := append([]string{"--data", t.TempDir(), "--db", opts.DatabaseURL, "--workers", "0", "--log-level", "debug"}, opts.Args...)
	if err := config.Parse(fs, &cfg, args, func(string) string { return "" }); err != nil {
		t.Fatalf("apptest: config: %v", err)
	}
	logs := &SyncBuffer{}
	clk := clock.NewManual(opts.Now)
	outbox := &Outbox{}
	// Cheap password hashes keep suites with many sign-ins quick; the real
	// costs are measured by the credential package's benchmarks.
	fast := credential.FastParams
	a, err := app.New(context.Background(), cfg, app.Options{Clock: clk, Sender: outbox, Logger: app.NewLogger(cfg, logs), PasswordParams: &fast})
	if err != nil {
		t.Fatalf("apptest: start: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", tail(logs.String(), 4000))
		}
	})
	return &Server{Server: srv, App: a, Clock: clk, Outbox: outbox, Logs: logs}
}

// Client returns an HTTP client with its own cookie jar that does not
// follow redirects (tests look at them).
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// RunJobs runs every background job that is due now (workers are off in
// tests, so sending and escalation happen when the test says).
func (s *Server) RunJobs(t testing.TB) int {
	t.Helper()
	n, err := s.App.Deps.Jobs.RunDue(context.Background())
	if err != nil {
		t.Fatalf("apptest: jobs: %v", err)
	}
	return n
}

// Outbox is a notify.Sender that keeps what it was asked to send.
type Outbox struct {
	mu   sync.Mutex
	msgs []notify.Message
}

// Send implements notify.Sender.
func (o *Outbox) Send(_ context.Context, m notify.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

// Messages returns what was sent so far.
func (o *Outbox) Messages() []notify.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]notify.Message(nil), o.msgs...)
}

// Last returns the newest message to a recipient.
func (o *Outbox) Last(to string) (notify.Message, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.msgs) - 1; i >= 0; i-- {
		if o.msgs[i].To == to {
			return o.msgs[i], true
		}
	}
	return notify.Message{}, false
}

// SyncBuffer is a goroutine-safe log sink.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// Get fetches a path and returns the response with its body read.
func Get(t testing.TB, c *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Do sends a request and returns the response with its body read.
func Do(t testing.TB, c *http.Client, method, url, contentType, body string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Quiet is a logger for tests that do not look at logs.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
