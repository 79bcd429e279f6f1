package reports_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/reports"
)

// Performance of the reports module on this machine. Neither benchmark
// asserts a timing; they print the figures docs/performance.md quotes.
//
//	go test -run '^$' -bench IntakeLoad -benchtime 1x ./internal/reports/
//	go test -run '^$' -bench Queries1M -benchtime 1x -timeout 60m ./internal/reports/
//
// The second honours SODAMOLEK_TEST_DB (PostgreSQL) like the tests.
// Neither runs in CI: scripts/test.sh runs no benchmarks.

// benchApp builds a Sodamolek the way serve does (real clock, info-level
// logging, no background workers), on the given database URL.
func benchApp(b *testing.B, dbURL string, demo bool) (*app.App, *httptest.Server) {
	b.Helper()
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	config.Register(fs, &cfg, config.Storage|config.Server)
	args := []string{"--data", b.TempDir(), "--db", dbURL, "--workers", "0", "--log-level", "info"}
	if demo {
		args = append(args, "--demo")
	}
	if err := config.Parse(fs, &cfg, args, func(string) string { return "" }); err != nil {
		b.Fatal(err)
	}
	fast := credential.FastParams
	// The request log is formatted as in production and discarded, so the
	// measurement includes logging but not a terminal.
	a, err := app.New(context.Background(), cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PasswordParams: &fast})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(func() { srv.Close(); a.Close() })
	return a, srv
}

func moduleOf(a *app.App) *reports.Module {
	for _, m := range a.Modules {
		if r, ok := m.(*reports.Module); ok {
			return r
		}
	}
	return nil
}

// rawCommitRate is the raw driver's single-row commit rate with the
// application's SQLite settings (the platform's own baseline, measured the
// same way in internal/platform/database).
func rawCommitRate(b *testing.B, rows int) float64 {
	b.Helper()
	db, err := database.Open(context.Background(), "sqlite://"+filepath.Join(b.TempDir(), "raw.db"), "", database.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	raw := db.Raw()
	if _, err := raw.Exec(`CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	now := database.TimeArg(time.Now())
	start := time.Now()
	for i := 0; i < rows; i++ {
		if _, err := raw.Exec(`INSERT INTO bench (name, created_at) VALUES ($1, $2)`, fmt.Sprint("row", i), now); err != nil {
			b.Fatal(err)
		}
	}
	return float64(rows) / time.Since(start).Seconds()
}

func percentileOf(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p/100*float64(len(s))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

// BenchmarkIntakeLoad measures, in one run on SQLite: the raw driver's
// single-row commit rate, then POST /api/v1/reports (JSON, no photo, an
// Idempotency-Key each) from 64 concurrent HTTP clients over loopback,
// bounded to 20,000 reports or 60 seconds. Every request must succeed.
func BenchmarkIntakeLoad(b *testing.B) {
	const clients, total, maxDur = 64, 20000, 60 * time.Second
	rawRate := rawCommitRate(b, 5000)
	a, srv := benchApp(b, "sqlite://"+filepath.Join(b.TempDir(), "intake.db"), false)
	for _, l := range moduleOf(a).RateLimits() {
		// 64 clients on one address: the per-address limit is not what
		// this measures.
		l.Burst, l.Rate = 1e9, 1e9
	}
	kel := a.Deps.Regions.Kelurahan()
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	type client struct {
		c    *http.Client
		csrf string
	}
	cs := make([]client, clients)
	base, _ := url.Parse(srv.URL)
	for i := range cs {
		jar, _ := cookiejar.New(nil)
		cs[i].c = &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second}
		resp, err := cs[i].c.Get(srv.URL + "/api/v1/report-categories")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		for _, ck := range jar.Cookies(base) {
			if ck.Name == "smk_csrf" {
				cs[i].csrf = ck.Value
			}
		}
	}
	var next, errs atomic.Int64
	lat := make([][]time.Duration, clients)
	var firstErr atomic.Value
	b.ResetTimer()
	start := time.Now()
	deadline := start.Add(maxDur)
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for time.Now().Before(deadline) {
				i := next.Add(1)
				if i > total {
					return
				}
				k := kel[rng.IntN(len(kel))]
				body, _ := json.Marshal(map[string]any{"category": "sampah-belum-diangkut", "lat": k.Lat, "lon": k.Lon,
					"description": "Sampah belum diangkut sejak Senin.", "attributes": map[string]any{"hari_tertunda": 3}})
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/reports", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-CSRF-Token", cs[w].csrf)
				req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d", i))
				t0 := time.Now()
				resp, err := cs[w].c.Do(req)
				d := time.Since(t0)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, resp.Status)
					continue
				}
				lat[w] = append(lat[w], d)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	rate := float64(len(all)) / elapsed.Seconds()
	b.ReportMetric(rawRate, "raw-rows/s")
	b.ReportMetric(rate, "reports/s")
	b.ReportMetric(rate/rawRate, "ratio")
	b.ReportMetric(float64(percentileOf(all, 50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentileOf(all, 99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(errs.Load()), "errors")
	b.Logf("raw driver %.0f rows/s; intake %d reports in %s = %.0f reports/s (%.2f× raw), p50 %s, p99 %s, %d errors, %d clients",
		rawRate, len(all), elapsed.Round(time.Millisecond), rate, rate/rawRate, percentileOf(all, 50), percentileOf(all, 99), errs.Load(), clients)
	if errs.Load() > 0 {
		b.Fatalf("%d requests failed (first: %v)", errs.Load(), firstErr.Load())
	}
}

// BenchmarkQueries1M seeds 1,000,000 reports (SeedScale, scale 1) and
// measures, over loopback HTTP, the agency queue and the public list with
// filters and the tracking page: 300 requests of each kind.
//
// Only the reports module's scale generator runs (the other modules' scale
// data is theirs to measure). SODAMOLEK_REPORTS_SCALE_DB names a database
// (sqlite:///var/tmp/reports-1m.db or postgres://…) that is kept and
// reused: it is seeded only while it holds fewer than 1,000,000 reports.
func BenchmarkQueries1M(b *testing.B) {
	dbURL := os.Getenv("SODAMOLEK_REPORTS_SCALE_DB")
	if dbURL == "" {
		dbURL = dbtest.URL(b)
	}
	a, srv := benchApp(b, dbURL, true)
	ctx := context.Background()
	var have int
	if err := a.Deps.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have < reports.ScaleReports {
		t0 := time.Now()
		if err := moduleOf(a).SeedScale(ctx, a.Deps, 1); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded 1,000,000 reports in %s (%s)", time.Since(t0).Round(time.Second), a.Deps.DB.Dialect)
	}
	if a.Deps.DB.Dialect == database.Postgres {
		if _, err := a.Deps.DB.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	} else if _, err := a.Deps.DB.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	for _, l := range moduleOf(a).RateLimits() {
		l.Burst, l.Rate = 1e9, 1e9
	}
	signed := func(user string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(srv.URL + "/masuk")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		base, _ := url.Parse(srv.URL)
		var csrf string
		for _, ck := range jar.Cookies(base) {
			if ck.Name == "smk_csrf" {
				csrf = ck.Value
			}
		}
		resp, err = c.PostForm(srv.URL+"/masuk", url.Values{"username": {user}, "password": {demoPassword}, "csrf_token": {csrf}})
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			b.Fatalf("sign in %s: %v %v", user, err, resp)
		}
		resp.Body.Close()
		return c
	}
	officer, police, admin := signed("dlhk.officer"), signed("polsek.alak"), signed("admin")
	anon := &http.Client{Timeout: 30 * time.Second}
	var codes []string
	rows, err := a.Deps.DB.QueryContext(ctx, `SELECT tracking_code FROM reports WHERE id % 3001 = 7`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		codes = append(codes, c)
	}
	rows.Close()
	kel := a.Deps.Regions.Kelurahan()
	cats := []string{"sampah-liar", "sampah-belum-diangkut", "tps-penuh", "jalan-rusak", "lampu-jalan-mati", "pencurian"}
	statuses := []string{"", "open", "closed", "diterima", "diproses", "selesai", "ditutup"}
	rng := rand.New(rand.NewPCG(1, 2))
	filters := func() string {
		q := url.Values{}
		if rng.IntN(2) == 0 {
			q.Set("kategori", cats[rng.IntN(len(cats))])
		}
		if rng.IntN(2) == 0 {
			q.Set("kelurahan", kel[rng.IntN(len(kel))].Code)
		}
		q.Set("status", statuses[rng.IntN(len(statuses))])
		return q.Encode()
	}
	measure := func(name string, c *http.Client, path func() string) {
		var ds []time.Duration
		for i := 0; i < 300; i++ {
			p := path()
			t := time.Now()
			resp, err := c.Get(srv.URL + p)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ds = append(ds, time.Since(t))
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("%s %s = %d", name, p, resp.StatusCode)
			}
		}
		b.ReportMetric(float64(percentileOf(ds, 95).Microseconds())/1000, name+"-p95-ms")
		b.Logf("%-28s p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms", name, ms(percentileOf(ds, 50)), ms(percentileOf(ds, 95)), ms(percentileOf(ds, 100)))
	}
	b.ResetTimer()
	measure("queue-dlhk", officer, func() string {
		q := filters()
		if rng.IntN(4) == 0 {
			q += "&terlambat=1"
		}
		return "/petugas/laporan?" + q
	})
	measure("queue-polsek", police, func() string { return "/petugas/laporan?" + filters() })
	measure("queue-city", admin, func() string { return "/petugas/laporan?" + filters() })
	measure("public-list-api", anon, func() string { return "/api/v1/reports?" + filters() })
	measure("public-list-page", anon, func() string { return "/laporan?" + filters() })
	measure("tracking-page", anon, func() string { return "/lapor/" + codes[rng.IntN(len(codes))] })
	measure("tracking-api", anon, func() string { return "/api/v1/reports/" + codes[rng.IntN(len(codes))] })
	if os.Getenv("SODAMOLEK_BENCH_KEEP") != "" {
		b.Logf("database kept at %s", dbURL)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
