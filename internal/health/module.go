// Package health is SIMPUS for the city's puskesmas: patient registration
// keyed by NIK, queues per poli, visits with ICD-10 diagnoses and
// prescriptions against each puskesmas' drug stock (LPLPO), the monthly
// LB1 morbidity report, weekly SKDR counts with alerts to Dinas
// Kesehatan, child growth monitoring with WHO z-scores (package growth)
// and the stunting follow-up, and read-only FHIR R4 shaped to SATUSEHAT
// (package fhir).
//
// Who sees what (UU 27/2022: health data is a specific category):
//
//   - health.records — a patient's record. Default grants: health_staff on
//     their own unit (the puskesmas they work at; Brigade Sehat staff see
//     the home-visit tasks given to their unit) and supervisor on their
//     subtree. A Dinas Kesehatan supervisor's subtree holds every pkm-*,
//     so Dinas Kesehatan sees all; a supervisor of another agency holds
//     the permission too, but on a subtree without puskesmas, so every
//     record-level check (web.Authorize on the patient's puskesmas)
//     refuses. The city administrator is deliberately not granted it:
//     running the platform is not a reason to read health records (an
//     administrator can still grant it through the roles page, audited).
//   - health.reports — aggregates (LB1, SKDR, prevalence): health_staff
//     (unit), supervisor (subtree), executive (city, the mayor's view).
//   - health.export — exports with personal data: supervisor only.
//   - health.manage — city-wide settings (SKDR thresholds, alert
//     recipient): supervisor of Dinas Kesehatan, admin.
//
// Every full-record read is written to the audit log; lists show masked
// NIKs; a NIK never travels in a URL (searches by NIK are POSTs).
package health

import (
	"embed"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

//go:embed migrations/*.sql templates/*.html locales/*.json static openapi.json
var moduleFiles embed.FS

func init() {
	app.Register(app.Factory{Name: "health", Order: 50, New: New})
}

// Permissions of the module.
const (
	permRecords = "health.records"
	permReports = "health.reports"
	permExport  = "health.export"
	permManage  = "health.manage"
)

// Units the module refers to by code (seeded from the region profile).
const (
	dinkesUnit  = "dinkes"
	brigadeUnit = "brigade-sehat"
)

// Module is the health module.
type Module struct {
	d *app.Deps
	// zscoreLimit rate-limits the public z-score calculator (API and
	// page): one request, whatever its batch size, is one unit.
	zscoreLimit *web.Limit
}

// New builds the module and declares its permissions.
func New(d *app.Deps) (app.Module, error) {
	d.Perms.Declare(auth.Permission{Code: permRecords, Description: "Rekam kesehatan pasien puskesmas"},
		"health_staff:unit", "supervisor:subtree")
	d.Perms.Declare(auth.Permission{Code: permReports, Description: "Laporan kesehatan agregat (LB1, SKDR, prevalensi)"},
		"health_staff:unit", "supervisor:subtree", "executive:city")
	d.Perms.Declare(auth.Permission{Code: permExport, Description: "Ekspor data kesehatan pribadi"},
		"supervisor:subtree")
	d.Perms.Declare(auth.Permission{Code: permManage, Description: "Pengaturan SKDR dan kesehatan kota"},
		"supervisor:subtree", "admin:city")
	return &Module{d: d, zscoreLimit: web.NewLimit("growth-zscores", 60, 20)}, nil
}

// Name implements app.Module.
func (m *Module) Name() string { return "health" }

// Migrations implements app.Migrator.
func (m *Module) Migrations() []database.Migrations {
	return []database.Migrations{database.FromDir("health", moduleFiles, "migrations")}
}

// Mount implements app.Mounter.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("health", moduleFiles); err != nil {
		return err
	}
	m.routes(sh.Router)
	sh.AddNav(web.NavItem{Label: "health.nav", Href: "/kesehatan", Access: web.Perm(permReports), Order: 40})
	sh.AddHomeLinks(web.HomeLink{Title: "health.home_title", Description: "health.home_desc", Href: "/kalkulator-gizi", Order: 40})
	return nil
}
