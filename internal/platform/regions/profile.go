package regions

import (
	"fmt"
	"io/fs"
	"slices"
)

// Levels as written in wilayah.csv. A kabupaten has both kelurahan and desa at the village level;
// this package treats them alike and keeps the level as written.
const (
	LevelCity      = "kabupaten_kota"
	LevelKecamatan = "kecamatan"
	LevelKelurahan = "kelurahan"
	LevelDesa      = "desa"
)

// Region is one administrative region: the city, a kecamatan or a kelurahan.
type Region struct {
	Code       string // Kemendagri code, opaque: "53.71.03.1010"
	Name       string
	Level      string // LevelCity, LevelKecamatan, LevelKelurahan or LevelDesa
	ParentCode string
	Postcode   string // kelurahan and desa only
	// Lat and Lon place a marker or label: the centroid for a kelurahan, the label point (inside
	// the polygon) for a kecamatan, the map centre for the city.
	Lat, Lon float64
	AreaKm2  float64
}

// Profile is one city's regions, boundaries and settings, loaded by LoadEmbedded or LoadDir.
type Profile struct {
	Code     string // "53.71"
	Name     string // "Kota Kupang"
	Province string // "Nusa Tenggara Timur"
	Timezone string // IANA name, "Asia/Makassar"; checked at load time

	// Default map view.
	CenterLat, CenterLon float64
	Zoom                 int

	kecamatan []Region          // sorted by code
	kelurahan []Region          // sorted by code; index i is shape i of idx
	byCode    map[string]Region // the city, kecamatan and kelurahan
	// kecamatanOf[i] is the index in kecamatan of kelurahan[i]'s parent.
	kecamatanOf []int

	idx        *index
	errOutside error

	kelurahanJSON, kecamatanJSON, outlineJSON []byte

	// The profile directory, for File, and how to name it in errors.
	fsys   fs.FS
	source string
}

// Kecamatan returns the kecamatan sorted by code.
func (p *Profile) Kecamatan() []Region { return slices.Clone(p.kecamatan) }

// Kelurahan returns every kelurahan (and desa) sorted by code.
func (p *Profile) Kelurahan() []Region { return slices.Clone(p.kelurahan) }

// KelurahanIn returns the kelurahan of one kecamatan sorted by code, or nil for an unknown code.
func (p *Profile) KelurahanIn(kecamatanCode string) []Region {
	var out []Region
	for _, r := range p.kelurahan {
		if r.ParentCode == kecamatanCode {
			out = append(out, r)
		}
	}
	return out
}

// Lookup finds the city, a kecamatan or a kelurahan by its code.
func (p *Profile) Lookup(code string) (Region, bool) {
	r, ok := p.byCode[code]
	return r, ok
}

// KelurahanGeoJSON returns the kelurahan FeatureCollection exactly as shipped in the profile, for
// maps. Each call returns a fresh copy, so callers may keep or change it.
func (p *Profile) KelurahanGeoJSON() []byte { return slices.Clone(p.kelurahanJSON) }

// KecamatanGeoJSON returns the kecamatan FeatureCollection exactly as shipped in the profile.
func (p *Profile) KecamatanGeoJSON() []byte { return slices.Clone(p.kecamatanJSON) }

// OutlineGeoJSON returns the city outline FeatureCollection exactly as shipped in the profile.
func (p *Profile) OutlineGeoJSON() []byte { return slices.Clone(p.outlineJSON) }

// File returns another file of the profile directory: data that belongs to the city but is read
// by other packages, such as the units.csv seed of internal/platform/units. name is a
// slash-separated path inside the profile; a missing file gives an error matching fs.ErrNotExist.
func (p *Profile) File(name string) ([]byte, error) {
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("regions: %s: %w", p.source, err)
	}
	return data, nil
}
