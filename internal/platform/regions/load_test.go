package regions

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyKupang copies the embedded Kupang profile into a temporary directory.
func copyKupang(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sub, err := fs.Sub(embedded, "profiles/kupang")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, sub); err != nil {
		t.Fatal(err)
	}
	return dir
}

type edit func(t *testing.T, dir string)

// replace changes the one occurrence of old in a file.
func replace(file, old, new string) edit {
	return func(t *testing.T, dir string) {
		t.Helper()
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(data), old); n != 1 {
			t.Fatalf("%s: %q occurs %d times, want 1", file, old, n)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// editFeature rewrites a GeoJSON file after change has modified the feature with the given code;
// change returns false to drop the feature.
func editFeature(file, code string, change func(f map[string]any) bool) edit {
	return func(t *testing.T, dir string) {
		t.Helper()
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var fc map[string]any
		if err := json.Unmarshal(data, &fc); err != nil {
			t.Fatal(err)
		}
		var kept []any
		for _, f := range fc["features"].([]any) {
			f := f.(map[string]any)
			if f["properties"].(map[string]any)["code"] == code && !change(f) {
				continue
			}
			kept = append(kept, f)
		}
		fc["features"] = kept
		if data, err = json.Marshal(fc); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func outerRing(f map[string]any) []any {
	return f["geometry"].(map[string]any)["coordinates"].([]any)[0].([]any)
}

func TestLoadDir(t *testing.T) {
	dir := copyKupang(t)
	p, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir(copy of kupang): %v", err)
	}
	if len(p.Kecamatan()) != 6 || len(p.Kelurahan()) != 51 {
		t.Errorf("got %d kecamatan, %d kelurahan; want 6, 51", len(p.Kecamatan()), len(p.Kelurahan()))
	}
	if l, err := p.Locate(-10.1716, 123.6711); err != nil || l.Kelurahan.Name != "Penfui" {
		t.Errorf("Locate(El Tari) = %+v, %v; want Penfui", l, err)
	}
}

func TestLoadDirBroken(t *testing.T) {
	tests := []struct {
		name string
		edit edit
		want []string // fragments the error must contain
	}{
		{"kelurahan without polygon",
			editFeature("kelurahan.geojson", "53.71.02.1003", func(map[string]any) bool { return false }),
			[]string{"kelurahan.geojson: missing 1 kelurahan/desa of wilayah.csv: 53.71.02.1003 Penfui"}},
		{"polygon for an unknown code",
			replace("kelurahan.geojson", `"code":"53.71.02.1003"`, `"code":"53.71.02.1033"`),
			[]string{"kelurahan.geojson: feature 14", `"53.71.02.1033"`, "not a kelurahan or desa in wilayah.csv"}},
		{"polygon under another name",
			replace("kelurahan.geojson", `"name":"Penfui"`, `"name":"Penfuy"`),
			[]string{"kelurahan.geojson", `name "Penfuy"`, `"Penfui"`}},
		{"polygon with swapped coordinates",
			editFeature("kelurahan.geojson", "53.71.02.1003", func(f map[string]any) bool {
				for _, pos := range outerRing(f) {
					pos := pos.([]any)
					pos[0], pos[1] = pos[1], pos[0]
				}
				return true
			}),
			[]string{"kelurahan.geojson", "53.71.02.1003", "[-10.", "is not a valid [lng, lat]"}},
		{"centroid outside its polygon",
			replace("kelurahan_detail.csv", "-10.174865,123.668802", "-10.274865,123.668802"),
			[]string{"kelurahan.geojson", "53.71.02.1003", "centroid (-10.274865, 123.668802)", "outside the polygon's bounding box"}},
		{"ring not closed",
			editFeature("kelurahan.geojson", "53.71.02.1003", func(f map[string]any) bool {
				g := f["geometry"].(map[string]any)
				r := outerRing(f)
				g["coordinates"] = []any{r[:len(r)-1]}
				return true
			}),
			[]string{"kelurahan.geojson", "53.71.02.1003", "polygon 0 ring 0: not closed"}},
		{"unsupported geometry",
			editFeature("kelurahan.geojson", "53.71.02.1003", func(f map[string]any) bool {
				f["geometry"] = map[string]any{"type": "Point", "coordinates": []any{123.6, -10.17}}
				return true
			}),
			[]string{"kelurahan.geojson", `geometry type "Point", want Polygon or MultiPolygon`}},
		{"parent kecamatan missing",
			replace("wilayah.csv", "53.71.02.1003,Penfui,kelurahan,53.71.02", "53.71.02.1003,Penfui,kelurahan,53.71.09"),
			[]string{"wilayah.csv line 19", `parent "53.71.09", which is not a kecamatan`}},
		{"unknown level",
			replace("wilayah.csv", "Penfui,kelurahan", "Penfui,dusun"),
			[]string{"wilayah.csv line 19", `level "dusun"`}},
		{"duplicate code",
			replace("wilayah.csv", "53.71.02.1004,Naimata", "53.71.02.1003,Naimata"),
			[]string{"wilayah.csv line 20", "53.71.02.1003 already on line 19"}},
		{"kecamatan without kelurahan",
			replace("wilayah.csv", "53.71.06,Kota Lama,kecamatan,53.71\r\n", "53.71.06,Kota Lama,kecamatan,53.71\r\n53.71.07,Baru,kecamatan,53.71\r\n"),
			[]string{"wilayah.csv line 50", "kecamatan 53.71.07 (Baru) has no kelurahan"}},
		{"city differs from profile.json",
			replace("wilayah.csv", "53.71,Kota Kupang", "53.71,Kupang"),
			[]string{"wilayah.csv line 2", `"Kupang" does not match profile.json`}},
		{"missing column",
			replace("kelurahan_detail.csv", ",kodepos,", ",postcode,"),
			[]string{`kelurahan_detail.csv: no column "kodepos"`}},
		{"detail for an unknown code",
			replace("kelurahan_detail.csv", "53.71.02.1003,Penfui", "53.71.02.1033,Penfui"),
			[]string{"kelurahan_detail.csv line 16", `"53.71.02.1033" is not a kelurahan or desa in wilayah.csv`}},
		{"bad postcode",
			replace("kelurahan_detail.csv", "Penfui,53.71.02,Maulafa,85148", "Penfui,53.71.02,Maulafa,8514"),
			[]string{"kelurahan_detail.csv line 16", `kodepos "8514" is not 5 digits`}},
		{"bad centroid",
			replace("kelurahan_detail.csv", "-10.174865,123.668802", "-10.174865,east"),
			[]string{"kelurahan_detail.csv line 16", `centroid_lng "east" is not a number`}},
		{"kecamatan without boundary",
			editFeature("kecamatan.geojson", "53.71.06", func(map[string]any) bool { return false }),
			[]string{"kecamatan.geojson: no feature for kecamatan 53.71.06 (Kota Lama)"}},
		{"kecamatan without label point",
			editFeature("kecamatan.geojson", "53.71.06", func(f map[string]any) bool {
				delete(f["properties"].(map[string]any), "label_lat")
				return true
			}),
			[]string{"kecamatan.geojson", "53.71.06", "label_lat and label_lng"}},
		{"outline of another city",
			replace("kota.geojson", `"code":"53.71"`, `"code":"53.72"`),
			[]string{`kota.geojson: code "53.72", want the city 53.71`}},
		{"missing file",
			func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "kota.geojson")); err != nil {
					t.Fatal(err)
				}
			},
			[]string{"kota.geojson", "no such file"}},
		{"not JSON",
			replace("kecamatan.geojson", `{"type":"FeatureCollection"`, `{"type":"FeatureCollection",`),
			[]string{"kecamatan.geojson: invalid character"}},
		{"unknown time zone",
			replace("profile.json", "Asia/Makassar", "Asia/Kupang"),
			[]string{`profile.json: timezone "Asia/Kupang"`}},
		{"misspelt key",
			replace("profile.json", `"zoom"`, `"zom"`),
			[]string{"profile.json", `unknown field "zom"`}},
		{"file name missing",
			replace("profile.json", `"outline": "kota.geojson"`, `"outline": ""`),
			[]string{"profile.json: files.outline is missing"}},
		{"file outside the profile",
			replace("profile.json", `"outline": "kota.geojson"`, `"outline": "../kota.geojson"`),
			[]string{"profile.json: files.outline", "not a path inside the profile directory"}},
		{"map centre outside the city",
			replace("profile.json", `"center_lat": -10.2084`, `"center_lat": 10.2084`),
			[]string{"profile.json: map centre (10.2084, 123.6097) is outside the box of kota.geojson"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyKupang(t)
			tt.edit(t, dir)
			p, err := LoadDir(dir)
			if err == nil {
				t.Fatalf("LoadDir succeeded (%d kelurahan), want an error", len(p.Kelurahan()))
			}
			msg := err.Error()
			for _, want := range append([]string{"regions: load " + dir + ": "}, tt.want...) {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q\ndoes not contain %q", msg, want)
				}
			}
		})
	}
}

func TestLoadEmbeddedUnknown(t *testing.T) {
	for _, name := range []string{"atlantis", "", "..", "kupang/../.."} {
		_, err := LoadEmbedded(name)
		if err == nil || !strings.Contains(err.Error(), "no embedded profile") || !strings.Contains(err.Error(), "(embedded: kupang)") {
			t.Errorf("LoadEmbedded(%q): error %v, want one listing the embedded profiles", name, err)
		}
	}
}

// A made-up city near the equator (0.001° ≈ 111 m) exercises what Kupang's data lacks:
//
//   - kelurahan A is a MultiPolygon: a 3.3 km square (lon 100.000–100.030, lat -1.030–-1.000) with
//     a 1.1 km hole (100.010–100.020, -1.020–-1.010), plus an island (100.040–100.045,
//     -1.020–-1.015);
//   - kelurahan B is a 440 m square (100.013–100.017, -1.017–-1.013) in the hole, leaving a gap
//     that belongs to neither;
//   - both are desa, as in a kabupaten.
var testCityFiles = map[string]string{
	"profile.json": `{"code": "99.01", "name": "Kota Uji", "province": "Provinsi Uji", "timezone": "Asia/Jakarta",
		"map": {"center_lat": -1.015, "center_lon": 100.02, "zoom": 13},
		"files": {"wilayah": "w.csv", "kelurahan_detail": "d.csv", "kelurahan": "kel.geojson",
			"kecamatan": "kec.geojson", "outline": "city.geojson"}}`,
	"w.csv": "code,name,level,parent_code\n99.01,Kota Uji,kabupaten_kota,99\n99.01.01,Tengah,kecamatan,99.01\n" +
		"99.01.01.2002,Bawah,desa,99.01.01\n99.01.01.2001,Atas,desa,99.01.01\n",
	"d.csv": "code,name,kecamatan_code,kecamatan,kodepos,centroid_lat,centroid_lng,area_km2\n" +
		"99.01.01.2001,Atas,99.01.01,Tengah,99111,-1.005,100.005,9.84\n" +
		"99.01.01.2002,Bawah,99.01.01,Tengah,99112,-1.015,100.015,0.2\n",
	"kel.geojson": `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"99.01.01.2001","name":"Atas","parent_code":"99.01.01"},
		 "geometry":{"type":"MultiPolygon","coordinates":[
			[[[100.0,-1.03],[100.03,-1.03],[100.03,-1.0],[100.0,-1.0],[100.0,-1.03]],
			 [[100.01,-1.02],[100.01,-1.01],[100.02,-1.01],[100.02,-1.02],[100.01,-1.02]]],
			[[[100.04,-1.02],[100.045,-1.02],[100.045,-1.015],[100.04,-1.015],[100.04,-1.02]]]]}},
		{"type":"Feature","properties":{"code":"99.01.01.2002","name":"Bawah","parent_code":"99.01.01"},
		 "geometry":{"type":"Polygon","coordinates":[
			[[100.013,-1.017],[100.017,-1.017],[100.017,-1.013],[100.013,-1.013],[100.013,-1.017]]]}}]}`,
	"kec.geojson": `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"99.01.01","name":"Tengah","parent_code":"99.01","area_km2":11.3,"label_lat":-1.005,"label_lng":100.005},
		 "geometry":{"type":"Polygon","coordinates":[[[100.0,-1.03],[100.045,-1.03],[100.045,-1.0],[100.0,-1.0],[100.0,-1.03]]]}}]}`,
	"city.geojson": `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"99.01","name":"Kota Uji","area_km2":11.3},
		 "geometry":{"type":"Polygon","coordinates":[[[100.0,-1.03],[100.045,-1.03],[100.045,-1.0],[100.0,-1.0],[100.0,-1.03]]]}}]}`,
}

func TestLocateMultiPolygonWithHole(t *testing.T) {
	dir := t.TempDir()
	for name, content := range testCityFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if got := p.Kelurahan(); len(got) != 2 || got[0].Code != "99.01.01.2001" || got[0].Level != LevelDesa {
		t.Fatalf("Kelurahan() = %+v, want Atas then Bawah, level desa", got)
	}
	const a, b = "99.01.01.2001", "99.01.01.2002"
	tests := []struct {
		name        string
		lat, lon    float64
		want        string // "" for ErrOutside
		minD, maxD  float64
		approximate bool
	}{
		{"main part of A", -1.005, 100.005, a, 0, 0, false},
		{"island of A", -1.0175, 100.0425, a, 0, 0, false},
		{"B inside A's hole", -1.015, 100.015, b, 0, 0, false},
		{"gap in the hole, 11 m from A's hole edge", -1.015, 100.0101, a, 10, 12, false},
		{"gap in the hole, 111 m from B, 222 m from A", -1.015, 100.012, b, 110, 112, true},
		{"between A and its island, 167 m from the island", -1.0175, 100.0385, a, 166, 168, true},
		{"between A and its island, 556 m from both", -1.0175, 100.035, "", 0, 0, false},
		{"south of the city", -1.05, 100.0, "", 0, 0, false},
	}
	for _, tt := range tests {
		got, err := p.Locate(tt.lat, tt.lon)
		if tt.want == "" {
			if !errors.Is(err, ErrOutside) || err.Error() != "point is outside Kota Uji" {
				t.Errorf("%s: Locate = %+v, %v; want ErrOutside naming Kota Uji", tt.name, got, err)
			}
			continue
		}
		if err != nil || got.Kelurahan.Code != tt.want || got.Kecamatan.Code != "99.01.01" ||
			got.DistanceM < tt.minD || got.DistanceM > tt.maxD || got.Approximate != tt.approximate {
			t.Errorf("%s: Locate = %s at %.2f m (approximate %v), %v; want %s at %.0f–%.0f m (approximate %v)",
				tt.name, got.Kelurahan.Code, got.DistanceM, got.Approximate, err, tt.want, tt.minD, tt.maxD, tt.approximate)
		}
	}
}

// Loading parses and checks every file and builds the index: a start-up cost, paid once.
func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := LoadEmbedded("kupang"); err != nil {
			b.Fatal(err)
		}
	}
}
