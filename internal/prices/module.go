// Package prices owns market prices and the city's inflation rate: the
// reference data (markets, commodities with their HET/HAP, traders, index
// baskets), enumerators' daily observations (entered on a phone, offline
// if need be, reviewed by supervisors), the public price board and
// charts, the consumer price index and inflation per basket computed the
// BPS way by package index, early-warning alerts for the regional
// inflation control team (TPID), arrivals of commodities and where they
// come from, CSV exports and the JSON API.
//
// Every write maintains per-day and per-month aggregates (sum of
// ln(price), count, extremes; see aggregates.go), so the board, the charts
// and the index never rescan the observations; the index itself is
// recomputed by a background job whenever a basket's prices change.
package prices

import (
	"embed"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

//go:embed migrations/*.sql templates/*.html locales/*.json static openapi.json
var moduleFiles embed.FS

func init() {
	// After identity and the console; the module's pages need accounts.
	app.Register(app.Factory{Name: "prices", Order: 40, New: New})
}

// The module's permissions.
const (
	// permEnter: record prices and arrivals for the markets of one's unit.
	permEnter = "prices.enter"
	// permApprove: review, approve and correct entered prices.
	permApprove = "prices.approve"
	// permManage: edit markets and traders (per unit) and, held on the
	// trade agency, commodities, reference prices, baskets, settings and
	// imports (see ownerManager).
	permManage = "prices.manage"
	// permAlerts: receive and read early-warning alerts (TPID).
	permAlerts = "prices.alerts"
)

// defaultUnit owns the seeded markets: the trade agency, whose
// enumerators collect the prices.
const defaultUnit = "disperindag"

// Module is the prices module.
type Module struct {
	d     *app.Deps
	store *Store
	// entryLimit bounds offline-sync bursts from one address.
	entryLimit *web.Limit
}

// New declares the permissions and builds the store.
func New(d *app.Deps) (app.Module, error) {
	r := d.Perms
	r.Declare(auth.Permission{Code: permEnter, Description: "prices.perm.enter"}, "enumerator:unit", "admin:city")
	r.Declare(auth.Permission{Code: permApprove, Description: "prices.perm.approve"}, "supervisor:subtree", "admin:city")
	r.Declare(auth.Permission{Code: permManage, Description: "prices.perm.manage"}, "unit_admin:subtree", "admin:city")
	r.Declare(auth.Permission{Code: permAlerts, Description: "prices.perm.alerts"}, "executive:city", "admin:city")
	return &Module{d: d, store: newStore(d), entryLimit: web.NewLimit("prices-entry", 120, 60)}, nil
}

// Name implements app.Module.
func (m *Module) Name() string { return "prices" }

// Store is the module's storage and rules, for the command line.
func (m *Module) Store() *Store { return m.store }

// Migrations implements app.Migrator.
func (m *Module) Migrations() []database.Migrations {
	return []database.Migrations{database.FromDir("prices", moduleFiles, "migrations")}
}

// RegisterJobs implements app.JobRegistrar.
func (m *Module) RegisterJobs(q *jobs.Queue, d *app.Deps) {
	m.store.registerJobs(q)
}

// Mount implements app.Mounter.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("prices", moduleFiles); err != nil {
		return err
	}
	m.routes(sh.Router)
	sh.AddNav(
		web.NavItem{Label: "prices.nav", Href: "/harga", Access: web.Public, Order: 30},
		web.NavItem{Label: "prices.nav_entry", Href: "/harga/input", Access: web.Perm(permEnter), Order: 31},
		web.NavItem{Label: "prices.nav_review", Href: "/harga/tinjau", Access: web.Perm(permApprove), Order: 32},
		web.NavItem{Label: "prices.nav_alerts", Href: "/harga/peringatan", Access: web.Perm(permAlerts), Order: 33},
		web.NavItem{Label: "prices.nav_manage", Href: "/harga/kelola", Access: web.Perm(permManage), Order: 34},
	)
	sh.AddHomeLinks(
		web.HomeLink{Title: "prices.home_title", Description: "prices.home_desc", Href: "/harga", Order: 30},
		web.HomeLink{Title: "prices.home_inflation_title", Description: "prices.home_inflation_desc", Href: "/harga/inflasi", Order: 31},
		web.HomeLink{Title: "prices.home_inflows_title", Description: "prices.home_inflows_desc", Href: "/harga/asal", Order: 32},
	)
	return nil
}
