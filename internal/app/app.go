package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/files"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/pii"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

// Deps is the platform every module is built on.
type Deps struct {
	Config   config.Config
	DB       *database.DB
	Clock    clock.Clock
	Log      *slog.Logger
	Location *time.Location // the city's time zone
	Regions  *regions.Profile
	Units    *units.Store
	Jobs     *jobs.Queue
	Notifier *notify.Notifier
	Uploads  *files.Uploads
	Shell    *web.Shell
	Perms    *auth.Registry
	Metrics  *prometheus.Registry
	// Identity and accountability, used by every module: who acts and
	// what they may do, the audit log, and sealing of personal data.
	Auth   *auth.Service
	Audit  *audit.Log
	Sealer *pii.Sealer
	// Workdays is the working-day calendar (holidays, office hours) that
	// every SLA in every module counts with.
	Workdays *workdays.Store
}

// Options are the parts a caller (a test, the CLI) may supply.
type Options struct {
	Clock  clock.Clock
	Logger *slog.Logger
	// Sender replaces the configured notification sender (tests capture
	// messages with it).
	Sender notify.Sender
	// PasswordParams replaces the argon2id costs (tests use
	// credential.FastParams to stay quick).
	PasswordParams *credential.Params
}

// App is an assembled Sodamolek.
type App struct {
	Deps    *Deps
	Modules []Module
	ready   *readiness
}

// New builds the platform and the registered modules, applies pending
// migrations and seeds reference data (and demo data with --demo into an
// empty database).
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	d, err := newPlatform(ctx, cfg, opts)
	if err != nil {
		return nil, err
	}
	a := &App{Deps: d}
	for _, f := range factories() {
		m, err := f.New(d)
		if err != nil {
			d.DB.Close()
			return nil, fmt.Errorf("module %s: %w", f.Name, err)
		}
		a.Modules = append(a.Modules, m)
	}
	if err := a.migrate(ctx); err != nil {
		d.DB.Close()
		return nil, err
	}
	if err := a.seed(ctx); err != nil {
		d.DB.Close()
		return nil, err
	}
	if err := a.mount(); err != nil {
		d.DB.Close()
		return nil, err
	}
	return a, nil
}

func newPlatform(ctx context.Context, cfg config.Config, opts Options) (*Deps, error) {
	log := opts.Logger
	if log == nil {
		log = NewLogger(cfg, os.Stderr)
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	profile, err := LoadProfile(cfg.RegionProfile)
	if err != nil {
		return nil, err
	}
	tzName := cfg.TimeZone
	if tzName == "" {
		tzName = profile.Timezone
	}
	loc, err := time.LoadLocation(tzName)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", tzName, err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir, database.Options{})
	if err != nil {
		return nil, err
	}
	store, err := files.NewLocalStore(filepath.Join(cfg.DataDir, "uploads"))
	if err != nil {
		db.Close()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	queue := jobs.New(db, clk, log, jobs.Options{Workers: cfg.Workers})
	sender := opts.Sender
	if sender == nil {
		sender, err = notify.NewFromConfig(notify.Config{Kind: cfg.NotifyKind, SMTPAddr: cfg.SMTPAddr, SMTPUser: cfg.SMTPUser,
			SMTPPassword: cfg.SMTPPassword, SMTPFrom: cfg.SMTPFrom, WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret,
			// Message bodies (sign-in codes) reach the log only in demo mode,
			// where the log is how a tester reads them.
			DevMode: cfg.Demo}, log)
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	notifier := notify.NewNotifier(queue, sender, log)
	shell, err := web.NewShell(web.Options{
		Site: web.Site{Name: "Sodamolek", CityName: profile.Name, PublicURL: cfg.PublicURL(), TileURL: cfg.TileURL,
			TileAttrib: cfg.TileAttrib, Demo: cfg.Demo, MapLat: profile.CenterLat, MapLon: profile.CenterLon, MapZoom: profile.Zoom},
		Logger: log, Catalog: i18n.NewCatalog(), Metrics: reg, TrustProxy: cfg.TrustProxy,
		SecureCookies: len(cfg.PublicURL()) > 8 && cfg.PublicURL()[:8] == "https://",
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	d := &Deps{Config: cfg, DB: db, Clock: clk, Log: log, Location: loc, Regions: profile, Units: units.NewStore(db, clk),
		Jobs: queue, Notifier: notifier, Uploads: files.NewUploads(store, files.DefaultPolicy()), Shell: shell,
		Perms: auth.NewRegistry(), Metrics: reg, Workdays: workdays.NewStore(db, clk, loc)}
	if err := newIdentity(d, opts); err != nil {
		db.Close()
		return nil, err
	}
	reg.MustRegister(newDBCollector(db), newJobsCollector(queue))
	return d, nil
}

// LoadProfile loads a built-in region profile by name, or one from a
// directory.
func LoadProfile(nameOrDir string) (*regions.Profile, error) {
	if st, err := os.Stat(nameOrDir); err == nil && st.IsDir() {
		return regions.LoadDir(nameOrDir)
	}
	return regions.LoadEmbedded(nameOrDir)
}

// PlatformMigrations are the platform's own schema sets, applied before
// any module's.
func PlatformMigrations() []database.Migrations {
	return []database.Migrations{settingsMigrations, units.Migrations, jobs.Migrations, workdays.Migrations}
}

// identityMigrations are the audit log's and the accounts' tables; the
// audit log's append-only triggers differ per engine.
func identityMigrations(d database.Dialect) []database.Migrations {
	return append(audit.Migrations(d), auth.Migrations)
}

// MigrationSets lists every set the app applies, in order.
func (a *App) MigrationSets() []database.Migrations {
	sets := append(PlatformMigrations(), identityMigrations(a.Deps.DB.Dialect)...)
	for _, m := range a.Modules {
		if mg, ok := m.(Migrator); ok {
			sets = append(sets, mg.Migrations()...)
		}
	}
	return sets
}

func (a *App) migrate(ctx context.Context) error {
	applied, err := a.Deps.DB.Migrate(ctx, a.MigrationSets()...)
	for _, id := range applied {
		a.Deps.Log.Info("migration applied", "id", id)
	}
	return err
}

func (a *App) seed(ctx context.Context) error {
	d := a.Deps
	unitsCSV, err := d.Regions.File("units.csv")
	if err != nil {
		return fmt.Errorf("region profile: %w", err)
	}
	if n, err := units.Seed(ctx, d.Units, d.Regions, bytes.NewReader(unitsCSV)); err != nil {
		return err
	} else if n > 0 {
		d.Log.Info("units seeded", "created", n)
	}
	if n, err := d.Workdays.Seed(ctx); err != nil {
		return fmt.Errorf("holiday calendar: %w", err)
	} else if n > 0 {
		d.Log.Info("holidays seeded", "created", n)
	}
	for _, m := range a.Modules {
		if s, ok := m.(Seeder); ok {
			if err := s.Seed(ctx, d); err != nil {
				return fmt.Errorf("seed %s: %w", m.Name(), err)
			}
		}
	}
	if !d.Config.Demo {
		return nil
	}
	done, err := getSetting(ctx, d.DB, "demo_seeded_at")
	if err != nil || done != "" {
		return err
	}
	for _, m := range a.Modules {
		if s, ok := m.(DemoSeeder); ok {
			if err := s.SeedDemo(ctx, d); err != nil {
				return fmt.Errorf("demo data %s: %w", m.Name(), err)
			}
		}
	}
	d.Log.Info("demo data seeded")
	return setSetting(ctx, d.DB, "demo_seeded_at", database.TimeArg(d.Clock.Now()))
}

// SeedScale runs every module's scale generator.
func (a *App) SeedScale(ctx context.Context, scale int) error {
	for _, m := range a.Modules {
		if s, ok := m.(ScaleSeeder); ok {
			start := time.Now()
			if err := s.SeedScale(ctx, a.Deps, scale); err != nil {
				return fmt.Errorf("scale data %s: %w", m.Name(), err)
			}
			a.Deps.Log.Info("scale data generated", "module", m.Name(), "scale", scale, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

func (a *App) mount() error {
	d := a.Deps
	a.ready = &readiness{db: d.DB, sets: a.MigrationSets()}
	a.mountOps()
	for _, m := range a.Modules {
		if mt, ok := m.(Mounter); ok {
			if err := mt.Mount(d); err != nil {
				return fmt.Errorf("mount %s: %w", m.Name(), err)
			}
		}
		if jr, ok := m.(JobRegistrar); ok {
			jr.RegisterJobs(d.Jobs, d)
		}
	}
	return nil
}

// Handler is the complete HTTP handler.
func (a *App) Handler() http.Handler { return a.Deps.Shell.Handler() }

// Close releases the database.
func (a *App) Close() error { return a.Deps.DB.Close() }

// Serve listens on the configured address, runs background jobs, and
// shuts down gracefully when ctx ends: the listener closes, in-flight
// requests and jobs get the grace period to finish, and unfinished jobs
// are requeued.
func (a *App) Serve(ctx context.Context, ln Listener) error {
	d := a.Deps
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(d.Log.Handler(), slog.LevelWarn)}
	jobsCtx, stopJobs := context.WithCancel(context.Background())
	jobsDone := make(chan error, 1)
	if d.Config.Workers > 0 {
		go func() { jobsDone <- d.Jobs.Run(jobsCtx) }()
	} else {
		jobsDone <- nil
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	d.Log.Info("serving", "addr", ln.Addr().String(), "url", d.Config.PublicURL(), "db", d.DB.String())
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	d.Log.Info("shutting down", "grace", d.Config.ShutdownGrace)
	grace, cancel := context.WithTimeout(context.Background(), d.Config.ShutdownGrace)
	defer cancel()
	shutdownErr := srv.Shutdown(grace)
	stopJobs()
	jobErr := <-jobsDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, shutdownErr, jobErr)
}
