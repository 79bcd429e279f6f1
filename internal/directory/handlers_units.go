package directory

import (
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type unitJSON struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	ShortName   string   `json:"short_name"`
	Type        string   `json:"type"`
	ParentCode  string   `json:"parent_code"`
	RegionCode  string   `json:"region_code,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	ServiceArea []string `json:"service_area"`
}

// listUnits answers the active units in organisation-chart order,
// optionally of one type (?type=puskesmas).
func (m *Module) listUnits(w http.ResponseWriter, r *http.Request) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	typ := r.URL.Query().Get("type")
	out := []unitJSON{}
	for _, u := range tree.All() {
		if !u.Active || (typ != "" && string(u.Type) != typ) {
			continue
		}
		out = append(out, toJSON(u))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"units": out})
}

func toJSON(u units.Unit) unitJSON {
	area := u.ServiceArea
	if area == nil {
		area = []string{}
	}
	return unitJSON{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: string(u.Type), ParentCode: u.ParentCode,
		RegionCode: u.RegionCode, Lat: u.Lat, Lon: u.Lon, ServiceArea: area}
}
