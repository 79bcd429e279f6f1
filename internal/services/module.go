// Package services is the administrative-services module with Si
// Pejuang (Sistem Informasi Persetujuan Ruang): a data-driven catalog of
// kelurahan/kecamatan letters and permits (PKKPR → PBG), online
// applications with documents, per-unit stage queues with SLAs in
// working days, PBG retribution and SKRD bills, signed PDF outputs with a
// public verification page, the IKM satisfaction survey and public
// statistics (DOMAIN.md §6).
package services

import (
	"context"
	"embed"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

//go:embed migrations/*.sql templates/*.html locales/*.json openapi.json
var moduleFiles embed.FS

func init() {
	app.Register(app.Factory{Name: "services", Order: 35, New: New})
}

// Module is the services module.
type Module struct {
	d       *app.Deps
	cal     *workdays.Store
	keyMu   sync.Mutex
	signKey *signingKey

	statusLimit *web.Limit
	verifyLimit *web.Limit
}

// New builds the module and declares its permissions.
func New(d *app.Deps) (app.Module, error) {
	d.Perms.Declare(auth.Permission{Code: "services.handle", Description: "Memproses tahapan berkas layanan di unit sendiri"},
		"officer:unit", "supervisor:subtree", "admin:city")
	d.Perms.Declare(auth.Permission{Code: "services.supervise", Description: "Mengalihkan berkas dan memantau pelanggaran SLA layanan"},
		"supervisor:subtree", "admin:city")
	d.Perms.Declare(auth.Permission{Code: "services.manage", Description: "Mengelola katalog layanan dan indeks retribusi PBG"},
		"admin:city")
	return &Module{d: d, cal: d.Workdays,
		statusLimit: web.NewLimit("services-status", 30, 10), verifyLimit: web.NewLimit("services-verify", 30, 10)}, nil
}

// Name implements app.Module.
func (m *Module) Name() string { return "services" }

// Migrations implements app.Migrator. (The working-day calendar's tables
// are the platform's.)
func (m *Module) Migrations() []database.Migrations {
	return []database.Migrations{database.FromDir("services", moduleFiles, "migrations")}
}

// Seed implements app.Seeder: the default catalog.
func (m *Module) Seed(ctx context.Context, d *app.Deps) error { return m.seedCatalog(ctx) }

// RegisterJobs implements app.JobRegistrar: the SLA escalation scan.
func (m *Module) RegisterJobs(q *jobs.Queue, d *app.Deps) {
	q.Register(jobEscalate, m.escalateJob)
	q.Schedule(jobEscalate, 15*time.Minute)
}

// Mount registers routes, pages and texts.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("services", moduleFiles); err != nil {
		return err
	}
	m.routes(sh.Router)
	sh.AddNav(web.NavItem{Label: "services.nav", Href: "/layanan", Access: web.Public, Order: 30},
		web.NavItem{Label: "services.nav_mine", Href: "/layanan/saya", Access: web.SignedIn, Order: 31},
		web.NavItem{Label: "services.nav_queue", Href: "/layanan/petugas", Access: web.Perm("services.handle"), Order: 32})
	sh.AddHomeLinks(web.HomeLink{Title: "services.home_title", Description: "services.home_desc", Href: "/layanan", Order: 30})
	return nil
}
