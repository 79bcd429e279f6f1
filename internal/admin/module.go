// Package admin is the administration console: the pages city and unit
// administrators use to manage staff accounts, the organisation tree,
// roles and their grants, API keys for integrations, and to read the
// audit log and look after background jobs.
//
// The console has no JSON API and no tables of its own. Every rule about
// who may change what lives in the services it calls (package auth for
// accounts, roles and keys; package units for the tree; package jobs for
// the queue); the pages check the same rules first only so that a refused
// action is a clear 403 page instead of a failed form. Every page works
// without JavaScript: state changes are POST forms carrying the CSRF
// token, and each success redirects (303) to a page showing a flash
// message.
package admin

import (
	"embed"
	"errors"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

//go:embed templates/*.html locales/*.json static
var moduleFiles embed.FS

func init() {
	// After identity (which declares the permissions and builds the
	// account service), before the domain modules.
	app.Register(app.Factory{Name: "admin", Order: 20, New: New})
}

// Module is the administration console.
type Module struct {
	d *app.Deps
}

// New builds the module. The console is nothing without the identity
// service and the audit log, so their absence is a start-up error rather
// than a nil dereference on the first request.
func New(d *app.Deps) (app.Module, error) {
	if d.Auth == nil || d.Audit == nil {
		return nil, errors.New("admin: the identity service and the audit log must be built before the console")
	}
	return &Module{d: d}, nil
}

// Name implements app.Module.
func (m *Module) Name() string { return "admin" }

// Mount registers the pages, texts, static files and navigation.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("admin", moduleFiles); err != nil {
		return err
	}
	rt := sh.Router
	// The overview admits any staff member and answers 403 itself when
	// the principal holds none of the console's permissions: a route has
	// one access rule, the overview serves six.
	rt.Page("GET /admin", web.StaffOnly, m.overview)

	users := web.Perm(permUsers)
	rt.Page("GET /admin/users", users, m.listUsers)
	rt.Page("GET /admin/users/new", users, m.newUser)
	rt.Page("POST /admin/users", users, m.createUser)
	// A NIK or phone number is searched with POST, never in a URL.
	rt.Page("POST /admin/users/search", users, m.searchByIdentifier)
	rt.Page("GET /admin/users/{id}", users, m.showUser)
	rt.Page("POST /admin/users/{id}", users, m.updateUser)
	rt.Page("POST /admin/users/{id}/password", users, m.resetPassword)
	rt.Page("POST /admin/users/{id}/unlock", users, m.unlockUser)

	unitsAccess := web.Perm(permUnits)
	rt.Page("GET /admin/units", unitsAccess, m.listUnits)
	rt.Page("GET /admin/units/new", unitsAccess, m.newUnit)
	rt.Page("POST /admin/units", unitsAccess, m.createUnit)
	rt.Page("GET /admin/units/{code}", unitsAccess, m.showUnit)
	rt.Page("POST /admin/units/{code}", unitsAccess, m.updateUnit)

	// Roles, keys, the audit log and the queue belong to no unit: a grant
	// narrower than the city cannot be honoured object by object, so
	// these areas need their permission city-wide.
	roles := web.Perm(permRoles)
	rt.Page("GET /admin/roles", roles, m.cityWide(permRoles, m.listRoles))
	rt.Page("POST /admin/roles/{code}", roles, m.cityWide(permRoles, m.saveRole))

	keys := web.Perm(permKeys)
	rt.Page("GET /admin/apikeys", keys, m.cityWide(permKeys, m.listKeys))
	rt.Page("POST /admin/apikeys", keys, m.cityWide(permKeys, m.createKey))
	rt.Page("POST /admin/apikeys/{id}/revoke", keys, m.cityWide(permKeys, m.revokeKey))

	rt.Page("GET /admin/audit", web.Perm(permAudit), m.cityWide(permAudit, m.searchAudit))

	jobsAccess := web.Perm(permJobs)
	rt.Page("GET /admin/jobs", jobsAccess, m.cityWide(permJobs, m.listJobs))
	rt.Page("POST /admin/jobs/{id}/retry", jobsAccess, m.cityWide(permJobs, m.retryJob))

	// One entry in the top bar: a NavItem takes a single access rule, and
	// every administrator (city or unit) holds users.manage. The console's
	// own sub-navigation lists each area the principal may open.
	sh.AddNav(web.NavItem{Label: "admin.nav", Href: "/admin", Access: users, Order: 80})
	return nil
}

// cityWide admits only principals holding permission for the whole city,
// answering 403 to the others. The route's own rule (web.Perm) has
// already turned away those without the permission at all.
func (m *Module) cityWide(permission string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !web.PrincipalOf(r).CityWide(permission) {
			m.forbidden(w, r)
			return
		}
		h(w, r)
	}
}
