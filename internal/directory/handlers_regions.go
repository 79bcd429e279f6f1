package directory

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type regionJSON struct {
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	Postcode  string       `json:"postcode,omitempty"`
	Lat       float64      `json:"lat"`
	Lon       float64      `json:"lon"`
	Kelurahan []regionJSON `json:"kelurahan,omitempty"`
}

// listRegions answers {"kecamatan":[{"code","name","kelurahan":[…]}…]}.
func (m *Module) listRegions(w http.ResponseWriter, r *http.Request) {
	p := m.d.Regions
	out := struct {
		Code      string       `json:"code"`
		Name      string       `json:"name"`
		Kecamatan []regionJSON `json:"kecamatan"`
	}{Code: p.Code, Name: p.Name}
	for _, kec := range p.Kecamatan() {
		k := regionJSON{Code: kec.Code, Name: kec.Name, Lat: kec.Lat, Lon: kec.Lon, Kelurahan: []regionJSON{}}
		for _, kel := range p.KelurahanIn(kec.Code) {
			k.Kelurahan = append(k.Kelurahan, regionJSON{Code: kel.Code, Name: kel.Name, Postcode: kel.Postcode, Lat: kel.Lat, Lon: kel.Lon})
		}
		out.Kecamatan = append(out.Kecamatan, k)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	web.WriteJSON(w, http.StatusOK, out)
}

type codeName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// locate answers which kelurahan and kecamatan a point lies in; a point
// outside the city is a 422 naming the location.
func (m *Module) locate(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	q := r.URL.Query()
	lat, err := parseCoord(q.Get("lat"), 90)
	if err != nil {
		sh.WriteAPIError(w, r, sh.BadParam(r, "lat"))
		return
	}
	// "lon" is the contract's name; "lng" and "long" are accepted too.
	lonRaw := q.Get("lon")
	for _, alt := range []string{"lng", "long"} {
		if lonRaw == "" {
			lonRaw = q.Get(alt)
		}
	}
	lon, err := parseCoord(lonRaw, 180)
	if err != nil {
		sh.WriteAPIError(w, r, sh.BadParam(r, "lon"))
		return
	}
	loc, err := m.d.Regions.Locate(lat, lon)
	switch {
	case errors.Is(err, regions.ErrOutside):
		msg := sh.T(r, "directory.outside_city", m.d.Regions.Name)
		web.WriteError(w, r, http.StatusUnprocessableEntity, "outside_city", msg, map[string]string{"location": msg})
		return
	case err != nil:
		sh.WriteAPIError(w, r, sh.BadParam(r, "lat"))
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{
		"kelurahan":   codeName{loc.Kelurahan.Code, loc.Kelurahan.Name},
		"kecamatan":   codeName{loc.Kecamatan.Code, loc.Kecamatan.Name},
		"approximate": loc.Approximate,
		"distance_m":  loc.DistanceM,
	})
}

// parseCoord reads a decimal degree within ±limit.
func parseCoord(s string, limit float64) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("missing")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v || v < -limit || v > limit {
		return 0, errors.New("invalid")
	}
	return v, nil
}

func (m *Module) kelurahanGeoJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(m.d.Regions.KelurahanGeoJSON())
}
