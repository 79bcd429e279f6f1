package app

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// mountOps adds the operations endpoints: /healthz (the process answers),
// /readyz (database reachable and every migration applied) and /metrics
// (Prometheus).
func (a *App) mountOps() {
	rt := a.Deps.Shell.Router
	rt.Page("GET /healthz", web.Public, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
	rt.Page("GET /readyz", web.Public, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if msg := a.ready.check(r.Context()); msg != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(msg + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	rt.Page("GET /metrics", web.Public, promhttp.HandlerFor(a.Deps.Metrics, promhttp.HandlerOpts{}).ServeHTTP)
}

// readiness caches a positive migration check: once every migration is
// applied it stays so for this binary, while the database ping runs on
// every probe.
type readiness struct {
	db   *database.DB
	sets []database.Migrations
	mu   sync.Mutex
	ok   bool
}

func (rd *readiness) check(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := rd.db.Ping(ctx); err != nil {
		return "database unreachable"
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.ok {
		return ""
	}
	pending, err := rd.db.Pending(ctx, rd.sets...)
	if err != nil {
		return "cannot read migrations"
	}
	if len(pending) > 0 {
		return "migrations pending"
	}
	rd.ok = true
	return ""
}

// dbCollector exports connection-pool statistics.
type dbCollector struct {
	db                          *database.DB
	open, inUse, idle, waitSecs *prometheus.Desc
	waitCount                   *prometheus.Desc
}

func newDBCollector(db *database.DB) *dbCollector {
	labels := []string{"pool"}
	return &dbCollector{db: db,
		open:      prometheus.NewDesc("sodamolek_db_open_connections", "Open database connections.", labels, nil),
		inUse:     prometheus.NewDesc("sodamolek_db_in_use_connections", "Database connections in use.", labels, nil),
		idle:      prometheus.NewDesc("sodamolek_db_idle_connections", "Idle database connections.", labels, nil),
		waitCount: prometheus.NewDesc("sodamolek_db_wait_total", "Times a caller waited for a connection.", labels, nil),
		waitSecs:  prometheus.NewDesc("sodamolek_db_wait_seconds_total", "Time spent waiting for a connection.", labels, nil),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.open
	ch <- c.inUse
	ch <- c.idle
	ch <- c.waitCount
	ch <- c.waitSecs
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	w, r := c.db.Stats()
	for pool, s := range map[string]sql.DBStats{"writer": w, "reader": r} {
		ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.OpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(c.inUse, prometheus.GaugeValue, float64(s.InUse), pool)
		ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.Idle), pool)
		ch <- prometheus.MustNewConstMetric(c.waitCount, prometheus.CounterValue, float64(s.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(c.waitSecs, prometheus.CounterValue, s.WaitDuration.Seconds(), pool)
	}
}

// jobsCollector exports job counts by state.
type jobsCollector struct {
	q    *jobs.Queue
	desc *prometheus.Desc
}

func newJobsCollector(q *jobs.Queue) *jobsCollector {
	return &jobsCollector{q: q, desc: prometheus.NewDesc("sodamolek_jobs", "Background jobs by state.", []string{"state"}, nil)}
}

func (c *jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.q.Counts(ctx)
	if err != nil {
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), state)
	}
}
