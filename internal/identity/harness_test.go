package identity

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// harness is a running Sodamolek (every module this test binary links:
// identity) on a fresh database, behind a real HTTP server.
type harness struct {
	t      *testing.T
	srv    *httptest.Server
	app    *app.App
	mod    *Module
	svc    *auth.Service
	clock  *clock.Manual
	outbox *apptest.Outbox
	logs   *apptest.SyncBuffer
}

var clientSeq atomic.Int64

// start builds the app with a debug logger writing to a buffer without the
// production redactor, so tests see exactly what the code logs.
func start(t *testing.T, args ...string) *harness {
	t.Helper()
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	config.Register(fs, &cfg, config.Storage|config.Server)
	all := append([]string{"--data", t.TempDir(), "--db", dbtest.URL(t), "--workers", "0", "--trust-proxy"}, args...)
	if err := config.Parse(fs, &cfg, all, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	logs := &apptest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := clock.NewManual(time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC))
	outbox := &apptest.Outbox{}
	// Real argon2id costs would make every sign-in of the suite take a
	// tenth of a second; the credential package's benchmarks measure them.
	fast := credential.FastParams
	a, err := app.New(context.Background(), cfg, app.Options{Clock: clk, Sender: outbox, Logger: logger, PasswordParams: &fast})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, app: a, clock: clk, outbox: outbox, logs: logs}
	for _, m := range a.Modules {
		if id, ok := m.(*Module); ok {
			h.mod, h.svc = id, id.Service()
		}
	}
	for _, l := range []*web.Limit{h.mod.limits.signin, h.mod.limits.signinAccount, h.mod.limits.otpSend,
		h.mod.limits.otpSendPhone, h.mod.limits.otpVerify, h.mod.limits.otpPhone} {
		l.SetClock(clk.Now)
	}
	h.srv = httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		h.srv.Close()
		a.Close()
		if t.Failed() {
			s := logs.String()
			if len(s) > 6000 {
				s = "…" + s[len(s)-6000:]
			}
			t.Logf("server log:\n%s", s)
		}
	})
	return h
}

func (h *harness) ctx() context.Context { return context.Background() }

// staff creates a staff account through the service (as the command line).
func (h *harness) staff(username, unit string, roles ...string) auth.User {
	h.t.Helper()
	u, err := h.svc.CreateStaff(h.ctx(), nil, auth.NewStaff{Username: username, Name: "Test " + username, UnitCode: unit,
		Password: username + "-password", Roles: roles})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// runJobs delivers queued messages into the outbox.
func (h *harness) runJobs() {
	h.t.Helper()
	if _, err := h.app.Deps.Jobs.RunDue(h.ctx()); err != nil {
		h.t.Fatal(err)
	}
}

var codeInMessage = regexp.MustCompile(`\b(\d{6})\b`)

// lastCode is the one-time code last sent to phone.
func (h *harness) lastCode(phone string) string {
	h.t.Helper()
	h.runJobs()
	m, ok := h.outbox.Last(phone)
	if !ok {
		h.t.Fatalf("no message to %s", phone)
	}
	c := codeInMessage.FindStringSubmatch(m.Body)
	if c == nil {
		h.t.Fatalf("no code in %q", m.Body)
	}
	return c[1]
}

// auditActions lists the audit log's actions, oldest first.
func (h *harness) auditActions(f audit.Filter) []string {
	h.t.Helper()
	f.Limit = 500
	page, err := h.mod.Audit().Search(h.ctx(), f)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for i := len(page.Records) - 1; i >= 0; i-- {
		out = append(out, page.Records[i].Action)
	}
	return out
}

// browser is one visitor: a cookie jar and a client address of its own
// (X-Forwarded-For, trusted in tests), so per-IP limits do not mix tests.
type browser struct {
	h  *harness
	c  *http.Client
	ip string
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	n := clientSeq.Add(1)
	return &browser{h: h, ip: fmt.Sprintf("10.9.%d.%d", n/250, n%250+1),
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.h.t.Helper()
	req.Header.Set("X-Forwarded-For", b.ip)
	resp, err := b.c.Do(req)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.h.srv.URL+path, nil)
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the anti-forgery token a form on page carries.
func (b *browser) csrf(page string) string {
	b.h.t.Helper()
	_, body := b.get(page)
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	b.h.t.Fatalf("no csrf_token on %s", page)
	return ""
}

// postFrom posts a form the way a browser does after showing page.
func (b *browser) postFrom(page, path string, form url.Values) (*http.Response, string) {
	b.h.t.Helper()
	form = cloneValues(form)
	form.Set("csrf_token", b.csrf(page))
	return b.postRaw(path, form)
}

func (b *browser) postRaw(path string, form url.Values) (*http.Response, string) {
	b.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// session is the browser's current session cookie value.
func (b *browser) session() string {
	u, _ := url.Parse(b.h.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == web.SessionCookie {
			return c.Value
		}
	}
	return ""
}

// signInStaff signs in through the form and expects to land at want.
func (b *browser) signInStaff(username, password string) *http.Response {
	b.h.t.Helper()
	resp, body := b.postFrom("/masuk", "/masuk", url.Values{"username": {username}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		b.h.t.Fatalf("sign-in %s: %d %s", username, resp.StatusCode, body)
	}
	return resp
}

// signInCitizen signs in with a phone number and the code it receives.
func (b *browser) signInCitizen(phone string) {
	b.h.t.Helper()
	resp, body := b.postFrom("/masuk?tab=warga", "/masuk/warga", url.Values{"phone": {phone}})
	if resp.StatusCode != http.StatusOK {
		b.h.t.Fatalf("send code: %d %s", resp.StatusCode, body)
	}
	code := b.h.lastCode(phone)
	resp, body = b.postFrom("/masuk?tab=warga", "/masuk/warga/kode", url.Values{"phone": {phone}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther {
		b.h.t.Fatalf("verify code: %d %s", resp.StatusCode, body)
	}
}

// api sends a JSON request with an optional bearer token.
func (b *browser) api(method, path, token, body string) (*http.Response, string) {
	b.h.t.Helper()
	req, _ := http.NewRequest(method, b.h.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return b.do(req)
}
