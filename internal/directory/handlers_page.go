package directory

import (
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

type kecamatanView struct {
	Region    regions.Region
	Kelurahan []regions.Region
}

// regionsPage shows the city's kecamatan and kelurahan on a map, with the
// units and what they serve.
func (m *Module) regionsPage(w http.ResponseWriter, r *http.Request) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	var kec []kecamatanView
	for _, k := range m.d.Regions.Kecamatan() {
		kec = append(kec, kecamatanView{Region: k, Kelurahan: m.d.Regions.KelurahanIn(k.Code)})
	}
	var list []unitView
	for _, u := range tree.All() {
		if u.Type == units.TypeKelurahan || !u.Active {
			continue
		}
		list = append(list, unitView{Unit: u, Depth: tree.Depth(u.Code)})
	}
	sh := m.d.Shell
	v := sh.Render.View(r, sh.T(r, "directory.title", m.d.Regions.Name), map[string]any{"Kecamatan": kec, "Units": list})
	sh.Render.Page(w, r, http.StatusOK, "directory/regions.html", v)
}

type unitView struct {
	units.Unit
	Depth int
}
