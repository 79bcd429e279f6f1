package regions

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/paulmach/orb"
)

// GeoJSON is decoded here with encoding/json rather than orb/geojson, whose BSON support would
// pull the MongoDB driver into the module. Only what the profile uses is read: the geometry of
// each feature and a few properties.

type featureCollection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
}

type feature struct {
	Type       string            `json:"type"`
	Properties featureProperties `json:"properties"`
	Geometry   *geometry         `json:"geometry"`
}

type featureProperties struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	ParentCode string   `json:"parent_code"`
	AreaKm2    *float64 `json:"area_km2"`
	LabelLat   *float64 `json:"label_lat"`
	LabelLng   *float64 `json:"label_lng"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// readFeatures reads a FeatureCollection and keeps its bytes to serve them unchanged.
func readFeatures(fsys fs.FS, file string) ([]byte, []feature, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, nil, fmt.Errorf("%s: type %q, want FeatureCollection", file, fc.Type)
	}
	for i, f := range fc.Features {
		if f.Type != "Feature" {
			return nil, nil, fmt.Errorf("%s: feature %d: type %q, want Feature", file, i, f.Type)
		}
	}
	return data, fc.Features, nil
}

// readKelurahanGeoJSON returns the file and one shape per kelurahan, in the order of w.kelurahan.
// Each feature must name a kelurahan of wilayah.csv with the same name and parent, and each
// kelurahan must have a feature: a kelurahan without a polygon could never be found by Locate.
func (w *wilayah) readKelurahanGeoJSON(fsys fs.FS, file string) ([]byte, []shape, error) {
	data, features, err := readFeatures(fsys, file)
	if err != nil {
		return nil, nil, err
	}
	shapes := make([]shape, len(w.kelurahan))
	seen := make([]bool, len(w.kelurahan))
	for i, f := range features {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s: feature %d (code %q): %s", file, i, f.Properties.Code, fmt.Sprintf(format, args...))
		}
		k, ok := w.kelurahanIdx[f.Properties.Code]
		switch {
		case !ok:
			return nil, nil, fail("not a kelurahan or desa in wilayah.csv")
		case seen[k]:
			return nil, nil, fail("a second feature for the same kelurahan")
		}
		seen[k] = true
		r := w.kelurahan[k]
		if f.Properties.Name != r.Name || f.Properties.ParentCode != r.ParentCode {
			return nil, nil, fail("name %q, parent %q; wilayah.csv has %q, %q", f.Properties.Name, f.Properties.ParentCode, r.Name, r.ParentCode)
		}
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, nil, fail("%v", err)
		}
		shapes[k] = newShape(polys)
		// Only the bounding box: a true centroid may lie outside a crescent-shaped kelurahan, but
		// a centroid outside the box means swapped coordinates or rows that do not belong together.
		if !shapes[k].bound.Contains(orb.Point{r.Lon, r.Lat}) {
			return nil, nil, fail("the centroid (%v, %v) from the detail file is outside the polygon's bounding box", r.Lat, r.Lon)
		}
	}
	if err := w.missing(file, seen); err != nil {
		return nil, nil, err
	}
	return data, shapes, nil
}

// readKecamatanGeoJSON checks the kecamatan boundaries and takes each kecamatan's label point
// and area from them.
func (w *wilayah) readKecamatanGeoJSON(fsys fs.FS, file string) ([]byte, error) {
	data, features, err := readFeatures(fsys, file)
	if err != nil {
		return nil, err
	}
	seen := make([]bool, len(w.kecamatan))
	for i, f := range features {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s: feature %d (code %q): %s", file, i, f.Properties.Code, fmt.Sprintf(format, args...))
		}
		k, ok := w.kecamatanIdx[f.Properties.Code]
		switch {
		case !ok:
			return nil, fail("not a kecamatan in wilayah.csv")
		case seen[k]:
			return nil, fail("a second feature for the same kecamatan")
		}
		seen[k] = true
		r := &w.kecamatan[k]
		if f.Properties.Name != r.Name || f.Properties.ParentCode != r.ParentCode {
			return nil, fail("name %q, parent %q; wilayah.csv has %q, %q", f.Properties.Name, f.Properties.ParentCode, r.Name, r.ParentCode)
		}
		if _, err := f.Geometry.polygons(); err != nil {
			return nil, fail("%v", err)
		}
		p := f.Properties
		if p.LabelLat == nil || p.LabelLng == nil || !validLatLon(*p.LabelLat, *p.LabelLng) {
			return nil, fail("label_lat and label_lng must be a valid coordinate")
		}
		if p.AreaKm2 == nil || !(*p.AreaKm2 > 0) {
			return nil, fail("area_km2 must be positive")
		}
		r.Lat, r.Lon, r.AreaKm2 = *p.LabelLat, *p.LabelLng, *p.AreaKm2
	}
	for k, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("%s: no feature for kecamatan %s (%s)", file, w.kecamatan[k].Code, w.kecamatan[k].Name)
		}
	}
	return data, nil
}

// readOutlineGeoJSON checks the city outline, takes the city's area from it and returns its
// bounding box.
func (w *wilayah) readOutlineGeoJSON(fsys fs.FS, file string) ([]byte, orb.Bound, error) {
	data, features, err := readFeatures(fsys, file)
	if err != nil {
		return nil, orb.Bound{}, err
	}
	if len(features) != 1 {
		return nil, orb.Bound{}, fmt.Errorf("%s: %d features, want the city outline alone", file, len(features))
	}
	f := features[0]
	if f.Properties.Code != w.city.Code {
		return nil, orb.Bound{}, fmt.Errorf("%s: code %q, want the city %s", file, f.Properties.Code, w.city.Code)
	}
	polys, err := f.Geometry.polygons()
	if err != nil {
		return nil, orb.Bound{}, fmt.Errorf("%s: %w", file, err)
	}
	if f.Properties.AreaKm2 == nil || !(*f.Properties.AreaKm2 > 0) {
		return nil, orb.Bound{}, fmt.Errorf("%s: area_km2 must be positive", file)
	}
	w.city.AreaKm2 = *f.Properties.AreaKm2
	return data, newShape(polys).bound, nil
}

// polygons decodes a Polygon or MultiPolygon and checks it: every position a valid [lng, lat],
// every ring closed with at least four positions (RFC 7946 §3.1.6).
func (g *geometry) polygons() ([]polygon, error) {
	if g == nil {
		return nil, errors.New("no geometry")
	}
	var coords [][][][]float64
	switch g.Type {
	case "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return nil, fmt.Errorf("%s coordinates: %w", g.Type, err)
		}
		coords = [][][][]float64{c}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &coords); err != nil {
			return nil, fmt.Errorf("%s coordinates: %w", g.Type, err)
		}
	default:
		return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", g.Type)
	}
	if len(coords) == 0 {
		return nil, fmt.Errorf("empty %s", g.Type)
	}
	polys := make([]polygon, len(coords))
	for pi, pc := range coords {
		if len(pc) == 0 {
			return nil, fmt.Errorf("polygon %d has no rings", pi)
		}
		polys[pi] = make(polygon, len(pc))
		for ri, rc := range pc {
			r, err := parseRing(rc)
			if err != nil {
				return nil, fmt.Errorf("polygon %d ring %d: %w", pi, ri, err)
			}
			polys[pi][ri] = newRing(r)
		}
	}
	return polys, nil
}

func parseRing(rc [][]float64) (orb.Ring, error) {
	if len(rc) < 4 {
		return nil, fmt.Errorf("%d positions, a ring needs at least 4", len(rc))
	}
	r := make(orb.Ring, len(rc))
	for i, pos := range rc {
		if len(pos) < 2 || !validLatLon(pos[1], pos[0]) {
			return nil, fmt.Errorf("position %d %v is not a valid [lng, lat]", i, pos)
		}
		r[i] = orb.Point{pos[0], pos[1]}
	}
	if r[0] != r[len(r)-1] {
		return nil, errors.New("not closed: the last position differs from the first")
	}
	return r, nil
}
