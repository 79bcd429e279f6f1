// Package reports is the citizen-report module (DOMAIN.md §3, §4): a
// resident reports waste, security, road, water or any other problem —
// or a fire or medical emergency — from a phone, the JSON API, Open311
// GeoReport v2 or a WhatsApp/SMS gateway; the report is routed by
// category and place to the responsible unit (DLHK, the Polsek of the
// kecamatan, Dinas PUPR, Dishub, Damkar, Brigade Kupang Sehat, …); the
// unit verifies, transfers, assigns, answers and finishes it with proof;
// service-level targets on the city's working-day calendar drive
// escalation to supervisors and heads and the auto-close; the resident
// follows it by tracking code, confirms or reopens, and rates the work;
// the public sees a map, a list and each agency's statistics.
//
// The module owns its model, storage, rules and handlers. Categories and
// routing rules are data an administrator edits. The working-day calendar
// is the platform's one shared store (app.Deps.Workdays), so a holiday
// edited here moves every module's deadlines, and its cache is one.
package reports

import (
	"context"
	"embed"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

//go:embed migrations/*.sql templates/*.html locales/*.json static openapi.json
var moduleFiles embed.FS

func init() {
	app.Register(app.Factory{Name: "reports", Order: 30, New: New})
}

// Permissions of the module.
const (
	PermHandle    = "reports.handle"
	PermSupervise = "reports.supervise"
	PermManage    = "reports.manage"
)

// Module is the reports module.
type Module struct {
	d *app.Deps
	// calendar is d.Workdays: the SLA arithmetic exists once, in the
	// platform.
	calendar *workdays.Store
	cats     *categories
	rules    *ruleCache
	limits   limits
	stats    statsCache
	group    groupCommit
	stmts    stmtCache
}

// limits protect the public write endpoints (per client IP).
type limits struct {
	intake  *web.Limit
	support *web.Limit
	citizen *web.Limit
	open311 *web.Limit
	lookup  *web.Limit
}

func newLimits() limits {
	return limits{
		intake:  web.NewLimit("report-intake", 20, 10),
		support: web.NewLimit("report-support", 30, 10),
		citizen: web.NewLimit("report-citizen", 20, 10),
		open311: web.NewLimit("open311-post", 120, 60),
		lookup:  web.NewLimit("report-lookup", 120, 60),
	}
}

// New builds the module and declares its permissions.
func New(d *app.Deps) (app.Module, error) {
	d.Perms.Declare(auth.Permission{Code: PermHandle, Description: "reports.perm_handle"},
		"officer:unit", "supervisor:subtree", "unit_admin:subtree", "admin:city")
	d.Perms.Declare(auth.Permission{Code: PermSupervise, Description: "reports.perm_supervise"},
		"supervisor:subtree", "unit_admin:subtree", "admin:city", "executive:city")
	d.Perms.Declare(auth.Permission{Code: PermManage, Description: "reports.perm_manage"}, "admin:city")
	return &Module{d: d, calendar: d.Workdays, cats: &categories{db: d.DB},
		rules: &ruleCache{db: d.DB}, limits: newLimits(), stmts: stmtCache{db: d.DB}}, nil
}

// Name implements app.Module.
func (m *Module) Name() string { return "reports" }

// Migrations implements app.Migrator: the reports tables (the holiday
// calendar's tables are the platform's).
func (m *Module) Migrations() []database.Migrations {
	return []database.Migrations{database.FromDir("reports", moduleFiles, "migrations")}
}

// Seed implements app.Seeder: the categories and the city-wide routing
// rules, each only where missing (the platform seeds the holidays).
func (m *Module) Seed(ctx context.Context, d *app.Deps) error {
	now := d.Clock.Now()
	added := 0
	for _, c := range DefaultCategories {
		ok, err := saveCategory(ctx, d.DB, c, now, false)
		if err != nil {
			return err
		}
		if ok {
			added++
		}
	}
	if added > 0 {
		m.cats.invalidate()
	}
	for _, r := range DefaultRoutes {
		if _, err := d.DB.ExecContext(ctx, `INSERT INTO report_routes (category_code, area_level, area_code, target, created_at, updated_at)
			VALUES ($1, $2, '', $3, $4, $4) ON CONFLICT (category_code, area_level, area_code) DO NOTHING`,
			r.Category, LevelCity, r.Target, database.TimeArg(now)); err != nil {
			return err
		}
	}
	m.rules.invalidate()
	return nil
}

// Mount implements app.Mounter.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("reports", moduleFiles); err != nil {
		return err
	}
	m.routes(sh.Router)
	sh.AddNav(
		web.NavItem{Label: "reports.nav_report", Href: "/lapor", Access: web.Public, Order: 10},
		web.NavItem{Label: "reports.nav_public", Href: "/laporan", Access: web.Public, Order: 11},
		web.NavItem{Label: "reports.nav_mine", Href: "/lapor/saya", Access: web.SignedIn, Order: 12},
		web.NavItem{Label: "reports.nav_console", Href: "/petugas/laporan", Access: web.Perm(PermHandle), Order: 13},
		web.NavItem{Label: "reports.nav_supervise", Href: "/petugas/eskalasi", Access: web.Perm(PermSupervise), Order: 14},
	)
	sh.AddHomeLinks(
		web.HomeLink{Title: "reports.home_title", Description: "reports.home_desc", Href: "/lapor", Order: 10},
		web.HomeLink{Title: "reports.home_public_title", Description: "reports.home_public_desc", Href: "/laporan", Order: 11},
	)
	d.Auth.AddExporter("reports", m.exportFor)
	return nil
}

// routes registers every page and endpoint.
func (m *Module) routes(rt *web.Router) {
	l := m.limits
	// Citizens.
	rt.Page("GET /lapor", web.Public, m.formPage)
	rt.Page("POST /lapor", web.Public, m.formSubmit, web.WithLimit(l.intake))
	rt.Page("GET /lapor/saya", web.SignedIn, m.minePage)
	rt.Page("GET /lapor/sw.js", web.Public, m.serviceWorker)
	rt.Page("GET /lapor/cari", web.Public, m.lookupCode, web.WithLimit(l.lookup))
	rt.Page("GET /lapor/{code}", web.Public, m.trackingPage, web.WithLimit(l.lookup))
	rt.Page("POST /lapor/{code}/konfirmasi", web.Public, m.citizenConfirm, web.WithLimit(l.citizen))
	rt.Page("POST /lapor/{code}/buka-kembali", web.Public, m.citizenReopen, web.WithLimit(l.citizen))
	rt.Page("POST /lapor/{code}/nilai", web.Public, m.citizenRate, web.WithLimit(l.citizen))
	// The public.
	rt.Page("GET /laporan", web.Public, m.publicListPage)
	rt.Page("GET /laporan/statistik", web.Public, m.statsPage)
	rt.Page("GET /laporan/foto/{id}/{sig}", web.Public, m.servePhoto)
	rt.Page("GET /laporan/{id}", web.Public, m.publicDetailPage)
	rt.Page("POST /laporan/{id}/dukung", web.Public, m.supportForm, web.WithLimit(l.support))
	// Agency console.
	handle := web.Perm(PermHandle)
	rt.Page("GET /petugas/laporan", handle, m.queuePage)
	rt.Page("GET /petugas/laporan/{id}", handle, m.detailPage)
	rt.Page("POST /petugas/laporan/{id}/kontak", handle, m.revealContact)
	rt.Page("POST /petugas/laporan/{id}/{action}", handle, m.consoleAction)
	rt.Page("GET /petugas/eskalasi", web.Perm(PermSupervise), m.supervisePage)
	// Settings.
	manage := web.Perm(PermManage)
	rt.Page("GET /petugas/pengaturan", manage, m.settingsPage)
	rt.Page("POST /petugas/pengaturan/kategori/{code}", manage, m.saveCategoryForm)
	rt.Page("POST /petugas/pengaturan/rute", manage, m.saveRuleForm)
	rt.Page("POST /petugas/pengaturan/rute/{id}/hapus", manage, m.deleteRuleForm)
	rt.Page("GET /petugas/pengaturan/hari-libur", manage, m.holidaysPage)
	rt.Page("POST /petugas/pengaturan/hari-libur", manage, m.saveHolidayForm)
	rt.Page("POST /petugas/pengaturan/hari-libur/impor", manage, m.importHolidaysForm)
	rt.Page("POST /petugas/pengaturan/hari-libur/{date}/hapus", manage, m.deleteHolidayForm)
	// JSON API.
	rt.API("GET /api/v1/report-categories", web.Public, m.apiCategories)
	rt.API("POST /api/v1/reports", web.Public, m.apiCreate, web.WithLimit(l.intake))
	rt.API("GET /api/v1/reports", web.Public, m.apiPublicList)
	rt.API("GET /api/v1/reports/nearby", web.Public, m.apiNearby)
	rt.API("GET /api/v1/reports/stats", web.Public, m.apiStats)
	rt.API("GET /api/v1/reports/{tracking_code}", web.Public, m.apiTracking, web.WithLimit(l.lookup))
	rt.API("POST /api/v1/reports/{id}/support", web.Public, m.apiSupport, web.WithLimit(l.support))
	rt.API("POST /api/v1/inbound/message", web.KeyScope("gateway"), m.apiInbound)
	// Open311 GeoReport v2 (format by suffix, so one pattern per path
	// depth). The POSTs carry api_key in the body and are checked here.
	rt.Page("GET /open311/v2/{file}", web.Public, m.open311Get)
	rt.Page("GET /open311/v2/services/{file}", web.Public, m.open311ServiceDefinition)
	rt.Page("GET /open311/v2/requests/{file}", web.Public, m.open311Request)
	rt.Page("GET /open311/v2/tokens/{file}", web.Public, m.open311Token)
	rt.Page("POST /open311/v2/{file}", web.Public, m.open311Post, web.WithLimit(l.open311), web.NoCSRF())
}

// now is the module's clock.
func (m *Module) now() time.Time { return m.d.Clock.Now() }
