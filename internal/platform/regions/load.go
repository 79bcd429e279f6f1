package regions

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// The profiles shipped inside the binary, one directory per region. The binary never reads the
// project's shared reference data at run time; profiles/<name>/SOURCES.md says where each file
// came from.
//
//go:embed profiles
var embedded embed.FS

const (
	embeddedRoot = "profiles"
	profileFile  = "profile.json"
)

// LoadEmbedded loads a profile shipped in the binary, e.g. "kupang".
func LoadEmbedded(name string) (*Profile, error) {
	dir := path.Join(embeddedRoot, name)
	if _, err := fs.Stat(embedded, path.Join(dir, profileFile)); err != nil {
		return nil, fmt.Errorf("regions: no embedded profile %q (embedded: %s)", name, strings.Join(embeddedNames(), ", "))
	}
	sub, err := fs.Sub(embedded, dir)
	if err != nil {
		return nil, fmt.Errorf("regions: embedded profile %q: %w", name, err)
	}
	return load(sub, "embedded profile "+name)
}

// LoadDir loads a profile from a directory laid out like profiles/kupang (see the package doc).
func LoadDir(dir string) (*Profile, error) {
	return load(os.DirFS(dir), dir)
}

func embeddedNames() []string {
	entries, _ := fs.ReadDir(embedded, embeddedRoot)
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// profileJSON is the layout of profile.json.
type profileJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Province string `json:"province"`
	Timezone string `json:"timezone"`
	Map      struct {
		CenterLat float64 `json:"center_lat"`
		CenterLon float64 `json:"center_lon"`
		Zoom      int     `json:"zoom"`
	} `json:"map"`
	Files struct {
		Wilayah         string `json:"wilayah"`
		KelurahanDetail string `json:"kelurahan_detail"`
		Kelurahan       string `json:"kelurahan"`
		Kecamatan       string `json:"kecamatan"`
		Outline         string `json:"outline"`
	} `json:"files"`
}

func load(fsys fs.FS, label string) (*Profile, error) {
	p, err := loadProfile(fsys)
	if err != nil {
		return nil, fmt.Errorf("regions: load %s: %w", label, err)
	}
	p.fsys, p.source = fsys, label
	return p, nil
}

// loadProfile reads the files in dependency order: wilayah.csv defines the regions, and every
// other file must describe exactly those regions.
func loadProfile(fsys fs.FS) (*Profile, error) {
	pj, err := readProfileJSON(fsys)
	if err != nil {
		return nil, err
	}
	w, err := readWilayah(fsys, pj.Files.Wilayah, pj.Code, pj.Name)
	if err != nil {
		return nil, err
	}
	if err := w.readDetail(fsys, pj.Files.KelurahanDetail); err != nil {
		return nil, err
	}
	kelurahanJSON, shapes, err := w.readKelurahanGeoJSON(fsys, pj.Files.Kelurahan)
	if err != nil {
		return nil, err
	}
	kecamatanJSON, err := w.readKecamatanGeoJSON(fsys, pj.Files.Kecamatan)
	if err != nil {
		return nil, err
	}
	outlineJSON, outline, err := w.readOutlineGeoJSON(fsys, pj.Files.Outline)
	if err != nil {
		return nil, err
	}
	center := orb.Point{pj.Map.CenterLon, pj.Map.CenterLat}
	if !outline.Contains(center) {
		return nil, fmt.Errorf("%s: map centre (%v, %v) is outside the box of %s", profileFile, pj.Map.CenterLat, pj.Map.CenterLon, pj.Files.Outline)
	}
	w.city.Lat, w.city.Lon = pj.Map.CenterLat, pj.Map.CenterLon

	p := &Profile{
		Code:          pj.Code,
		Name:          pj.Name,
		Province:      pj.Province,
		Timezone:      pj.Timezone,
		CenterLat:     pj.Map.CenterLat,
		CenterLon:     pj.Map.CenterLon,
		Zoom:          pj.Map.Zoom,
		kecamatan:     w.kecamatan,
		kelurahan:     w.kelurahan,
		byCode:        make(map[string]Region, 1+len(w.kecamatan)+len(w.kelurahan)),
		kecamatanOf:   make([]int, len(w.kelurahan)),
		idx:           newIndex(shapes, OutsideToleranceM),
		errOutside:    &outsideError{city: pj.Name},
		kelurahanJSON: kelurahanJSON,
		kecamatanJSON: kecamatanJSON,
		outlineJSON:   outlineJSON,
	}
	p.byCode[w.city.Code] = w.city
	for _, r := range w.kecamatan {
		p.byCode[r.Code] = r
	}
	for i, r := range w.kelurahan {
		p.byCode[r.Code] = r
		p.kecamatanOf[i] = w.kecamatanIdx[r.ParentCode]
	}
	return p, nil
}

func readProfileJSON(fsys fs.FS) (*profileJSON, error) {
	data, err := fs.ReadFile(fsys, profileFile)
	if err != nil {
		return nil, err
	}
	// Unknown fields are errors: a misspelt key would otherwise silently fall back to zero.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var pj profileJSON
	if err := dec.Decode(&pj); err != nil {
		return nil, fmt.Errorf("%s: %w", profileFile, err)
	}
	if err := pj.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", profileFile, err)
	}
	return &pj, nil
}

func (pj *profileJSON) check() error {
	for _, f := range []struct{ key, value string }{
		{"code", pj.Code}, {"name", pj.Name}, {"province", pj.Province}, {"timezone", pj.Timezone},
		{"files.wilayah", pj.Files.Wilayah}, {"files.kelurahan_detail", pj.Files.KelurahanDetail},
		{"files.kelurahan", pj.Files.Kelurahan}, {"files.kecamatan", pj.Files.Kecamatan},
		{"files.outline", pj.Files.Outline},
	} {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("%s is missing", f.key)
		}
		if strings.HasPrefix(f.key, "files.") && !fs.ValidPath(f.value) {
			return fmt.Errorf("%s: %q is not a path inside the profile directory", f.key, f.value)
		}
	}
	// The programs that use the profile need the zone; a binary meant for a system without a
	// time zone database must import time/tzdata in its main package.
	if _, err := time.LoadLocation(pj.Timezone); err != nil {
		return fmt.Errorf("timezone %q: %w", pj.Timezone, err)
	}
	if !validLatLon(pj.Map.CenterLat, pj.Map.CenterLon) {
		return fmt.Errorf("map centre (%v, %v) is not a valid coordinate", pj.Map.CenterLat, pj.Map.CenterLon)
	}
	// Web map tile zoom levels (Leaflet, OpenStreetMap tiles) run from 0 to about 19.
	if pj.Map.Zoom < 1 || pj.Map.Zoom > 19 {
		return errors.New("map.zoom must be between 1 and 19")
	}
	return nil
}
