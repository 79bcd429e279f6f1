// Package directory publishes the city's reference geography and
// organisation: the kecamatan and kelurahan of the region profile with
// their boundaries, the point → kelurahan lookup, and the units (OPD,
// offices, puskesmas, stakeholders). It is the first stop for any client
// that needs codes.
package directory

import (
	"embed"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

//go:embed templates/*.html locales/*.json static openapi.json
var moduleFiles embed.FS

func init() {
	app.Register(app.Factory{Name: "directory", Order: 5, New: New})
}

// Module is the directory module.
type Module struct {
	d *app.Deps
}

// New builds the module.
func New(d *app.Deps) (app.Module, error) { return &Module{d: d}, nil }

// Name implements app.Module.
func (m *Module) Name() string { return "directory" }

// Mount registers the routes, pages and texts.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("directory", moduleFiles); err != nil {
		return err
	}
	rt := sh.Router
	rt.API("GET /api/v1/regions", web.Public, m.listRegions)
	rt.API("GET /api/v1/regions/locate", web.Public, m.locate)
	rt.API("GET /api/v1/regions/kelurahan.geojson", web.Public, m.kelurahanGeoJSON)
	rt.API("GET /api/v1/units", web.Public, m.listUnits)
	rt.Page("GET /wilayah", web.Public, m.regionsPage)
	sh.AddNav(web.NavItem{Label: "directory.nav", Href: "/wilayah", Access: web.Public, Order: 90})
	sh.AddHomeLinks(web.HomeLink{Title: "directory.home_title", Description: "directory.home_desc", Href: "/wilayah", Order: 90})
	return nil
}
