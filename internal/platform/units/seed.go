package units

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// Seed loads a city's units into an empty or partly seeded database:
// first a kecamatan office for every kecamatan and a kelurahan office for
// every kelurahan of the region profile, then the units listed in the
// profile's units.csv. Units that already exist are left as they are,
// because an administrator may have corrected them; seeding is safe to
// run at every start.
//
// units.csv columns: code,name,short_name,type,parent_code,region_code,
// lat,lon,service_area. A missing location is taken from the centroid of
// region_code. service_area is "city", "kecamatan:<code>" or a
// ';'-separated list of kelurahan codes.
func Seed(ctx context.Context, s *Store, profile *regions.Profile, unitsCSV io.Reader) (created int, err error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return 0, err
	}
	listed, err := parseSeed(unitsCSV, profile)
	if err != nil {
		return 0, err
	}
	root := ""
	if len(listed) > 0 {
		root = listed[0].Code
	}
	// The city-wide root must exist before the generated offices hang
	// under it; the rest of the file may refer to those offices.
	var ordered []Unit
	if root != "" {
		ordered = append(ordered, listed[0])
	}
	for _, kec := range profile.Kecamatan() {
		ordered = append(ordered, regionOffice("kec-"+kec.Code, "Kecamatan "+kec.Name, TypeKecamatan, root, kec, areaOfKecamatan(profile, kec.Code)))
		for _, kel := range profile.KelurahanIn(kec.Code) {
			ordered = append(ordered, regionOffice("kel-"+kel.Code, "Kelurahan "+kel.Name, TypeKelurahan, "kec-"+kec.Code, kel, []string{kel.Code}))
		}
	}
	if len(listed) > 1 {
		ordered = append(ordered, listed[1:]...)
	}
	for _, u := range ordered {
		if _, exists := tree.Get(u.Code); exists {
			continue
		}
		if err := s.Save(ctx, u); err != nil {
			return created, fmt.Errorf("seed unit %s: %w", u.Code, err)
		}
		created++
		if tree, err = s.Tree(ctx); err != nil {
			return created, err
		}
	}
	return created, nil
}

func regionOffice(code, name string, typ Type, parent string, r regions.Region, area []string) Unit {
	lat, lon := r.Lat, r.Lon
	return Unit{Code: code, Name: name, ShortName: name, Type: typ, ParentCode: parent, RegionCode: r.Code,
		Lat: &lat, Lon: &lon, Active: true, ServiceArea: area}
}

func areaOfKecamatan(p *regions.Profile, kecamatan string) []string {
	var out []string
	for _, k := range p.KelurahanIn(kecamatan) {
		out = append(out, k.Code)
	}
	return out
}

func parseSeed(r io.Reader, p *regions.Profile) ([]Unit, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 9
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("units.csv: %w", err)
	}
	want := "code,name,short_name,type,parent_code,region_code,lat,lon,service_area"
	if strings.Join(header, ",") != want {
		return nil, fmt.Errorf("units.csv: header must be %q", want)
	}
	var out []Unit
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("units.csv line %d: %w", line, err)
		}
		u := Unit{Code: rec[0], Name: rec[1], ShortName: rec[2], Type: Type(rec[3]), ParentCode: rec[4], RegionCode: rec[5], Active: true}
		if rec[6] != "" || rec[7] != "" {
			lat, err1 := strconv.ParseFloat(rec[6], 64)
			lon, err2 := strconv.ParseFloat(rec[7], 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("units.csv line %d: bad lat/lon", line)
			}
			u.Lat, u.Lon = &lat, &lon
		} else if reg, ok := p.Lookup(u.RegionCode); ok && u.RegionCode != "" {
			lat, lon := reg.Lat, reg.Lon
			u.Lat, u.Lon = &lat, &lon
		}
		area, err := expandArea(rec[8], p)
		if err != nil {
			return nil, fmt.Errorf("units.csv line %d: %w", line, err)
		}
		u.ServiceArea = area
		out = append(out, u)
	}
}

func expandArea(spec string, p *regions.Profile) ([]string, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "":
		return nil, nil
	case spec == "city":
		var all []string
		for _, k := range p.Kelurahan() {
			all = append(all, k.Code)
		}
		return all, nil
	case strings.HasPrefix(spec, "kecamatan:"):
		code := strings.TrimPrefix(spec, "kecamatan:")
		if _, ok := p.Lookup(code); !ok {
			return nil, fmt.Errorf("unknown kecamatan %q", code)
		}
		return areaOfKecamatan(p, code), nil
	}
	var out []string
	for _, code := range strings.Split(spec, ";") {
		r, ok := p.Lookup(code)
		if !ok || r.Level != "kelurahan" {
			return nil, fmt.Errorf("unknown kelurahan %q", code)
		}
		out = append(out, code)
	}
	return out, nil
}
