package regions

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
)

// wilayah is a profile being loaded: the regions from wilayah.csv, completed by the other files.
type wilayah struct {
	city         Region
	kecamatan    []Region // sorted by code
	kelurahan    []Region // sorted by code
	kecamatanIdx map[string]int
	kelurahanIdx map[string]int
}

// readWilayah reads the region tree: one city row matching profile.json, kecamatan under the
// city, kelurahan or desa under a kecamatan, and no kecamatan without any.
func readWilayah(fsys fs.FS, file, cityCode, cityName string) (*wilayah, error) {
	t, err := readTable(fsys, file, "code", "name", "level", "parent_code")
	if err != nil {
		return nil, err
	}
	w := &wilayah{kecamatanIdx: map[string]int{}, kelurahanIdx: map[string]int{}}
	lineOf := map[string]int{}
	for i := range t.rows {
		r := Region{Code: t.get(i, "code"), Name: t.get(i, "name"), Level: t.get(i, "level"), ParentCode: t.get(i, "parent_code")}
		switch {
		case r.Code == "" || r.Name == "":
			return nil, t.errorf(i, "code and name are required")
		case lineOf[r.Code] != 0:
			return nil, t.errorf(i, "code %s already on line %d", r.Code, lineOf[r.Code])
		}
		lineOf[r.Code] = t.lines[i]
		switch r.Level {
		case LevelCity:
			if w.city.Code != "" {
				return nil, t.errorf(i, "second %s row (first: %s)", LevelCity, w.city.Code)
			}
			if r.Code != cityCode || r.Name != cityName {
				return nil, t.errorf(i, "city %s %q does not match %s (%s %q)", r.Code, r.Name, profileFile, cityCode, cityName)
			}
			w.city = r
		case LevelKecamatan:
			w.kecamatan = append(w.kecamatan, r)
		case LevelKelurahan, LevelDesa:
			w.kelurahan = append(w.kelurahan, r)
		default:
			return nil, t.errorf(i, "level %q is not one of %s, %s, %s, %s", r.Level, LevelCity, LevelKecamatan, LevelKelurahan, LevelDesa)
		}
	}
	if w.city.Code == "" {
		return nil, fmt.Errorf("%s: no %s row for %s", file, LevelCity, cityCode)
	}
	if len(w.kecamatan) == 0 {
		return nil, fmt.Errorf("%s: no %s rows", file, LevelKecamatan)
	}
	byCode := func(a, b Region) int { return strings.Compare(a.Code, b.Code) }
	slices.SortFunc(w.kecamatan, byCode)
	slices.SortFunc(w.kelurahan, byCode)

	children := map[string]int{}
	for i, r := range w.kecamatan {
		if r.ParentCode != w.city.Code {
			return nil, fmt.Errorf("%s line %d: kecamatan %s has parent %q, want the city %s", file, lineOf[r.Code], r.Code, r.ParentCode, w.city.Code)
		}
		w.kecamatanIdx[r.Code] = i
	}
	for i, r := range w.kelurahan {
		if _, ok := w.kecamatanIdx[r.ParentCode]; !ok {
			return nil, fmt.Errorf("%s line %d: %s %s has parent %q, which is not a kecamatan in the file", file, lineOf[r.Code], r.Level, r.Code, r.ParentCode)
		}
		w.kelurahanIdx[r.Code] = i
		children[r.ParentCode]++
	}
	for _, r := range w.kecamatan {
		if children[r.Code] == 0 {
			return nil, fmt.Errorf("%s line %d: kecamatan %s (%s) has no kelurahan or desa", file, lineOf[r.Code], r.Code, r.Name)
		}
	}
	return w, nil
}

// readDetail adds postcode, centroid and area to every kelurahan; the file must list each
// kelurahan of wilayah.csv once, under the same name and kecamatan.
func (w *wilayah) readDetail(fsys fs.FS, file string) error {
	t, err := readTable(fsys, file, "code", "name", "kecamatan_code", "kecamatan", "kodepos", "centroid_lat", "centroid_lng", "area_km2")
	if err != nil {
		return err
	}
	seen := make([]bool, len(w.kelurahan))
	for i := range t.rows {
		code := t.get(i, "code")
		k, ok := w.kelurahanIdx[code]
		if !ok {
			return t.errorf(i, "%q is not a kelurahan or desa in wilayah.csv", code)
		}
		if seen[k] {
			return t.errorf(i, "%s is listed twice", code)
		}
		seen[k] = true
		r := &w.kelurahan[k]
		kec := w.kecamatan[w.kecamatanIdx[r.ParentCode]]
		if name := t.get(i, "name"); name != r.Name {
			return t.errorf(i, "%s is named %q here but %q in wilayah.csv", code, name, r.Name)
		}
		if kc, kn := t.get(i, "kecamatan_code"), t.get(i, "kecamatan"); kc != kec.Code || kn != kec.Name {
			return t.errorf(i, "%s is in kecamatan %s %q here but %s %q in wilayah.csv", code, kc, kn, kec.Code, kec.Name)
		}
		r.Postcode = t.get(i, "kodepos")
		if !isPostcode(r.Postcode) {
			return t.errorf(i, "kodepos %q is not 5 digits", r.Postcode)
		}
		var errs [3]error
		r.Lat, errs[0] = t.float(i, "centroid_lat")
		r.Lon, errs[1] = t.float(i, "centroid_lng")
		r.AreaKm2, errs[2] = t.float(i, "area_km2")
		if err := errors.Join(errs[:]...); err != nil {
			return t.errorf(i, "%v", err)
		}
		if !validLatLon(r.Lat, r.Lon) {
			return t.errorf(i, "centroid (%v, %v) is not a valid coordinate", r.Lat, r.Lon)
		}
		if !(r.AreaKm2 > 0) {
			return t.errorf(i, "area_km2 %v is not positive", r.AreaKm2)
		}
	}
	return w.missing(file, seen)
}

// missing reports the kelurahan a file left out.
func (w *wilayah) missing(file string, seen []bool) error {
	var codes []string
	for k, ok := range seen {
		if !ok {
			codes = append(codes, w.kelurahan[k].Code+" "+w.kelurahan[k].Name)
		}
	}
	if codes != nil {
		return fmt.Errorf("%s: missing %d kelurahan/desa of wilayah.csv: %s", file, len(codes), strings.Join(codes, ", "))
	}
	return nil
}

func isPostcode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// table is a CSV file with a header row, read whole (the files have tens of rows).
type table struct {
	file   string
	column map[string]int
	rows   [][]string
	lines  []int // line number of each row, for error messages
}

// readTable reads a CSV file whose header has at least the given columns, in any order.
func readTable(fsys fs.FS, file string, columns ...string) (*table, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", file, err)
	}
	t := &table{file: file, column: map[string]int{}}
	for i, h := range header {
		// Spreadsheets often save a byte-order mark before the first column name.
		t.column[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range columns {
		if _, ok := t.column[c]; !ok {
			return nil, fmt.Errorf("%s: no column %q in the header (want %s)", file, c, strings.Join(columns, ","))
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// csv errors already carry the file position.
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

func (t *table) get(row int, column string) string { return t.rows[row][t.column[column]] }

func (t *table) float(row int, column string) (float64, error) {
	v, err := strconv.ParseFloat(t.get(row, column), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not a number", column, t.get(row, column))
	}
	return v, nil
}

func (t *table) errorf(row int, format string, args ...any) error {
	return fmt.Errorf("%s line %d: %s", t.file, t.lines[row], fmt.Sprintf(format, args...))
}
