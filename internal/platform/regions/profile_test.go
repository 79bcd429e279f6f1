package regions

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKupangProfile(t *testing.T) {
	p := kupang(t)
	got := struct {
		Code, Name, Province, Timezone string
		Zoom                           int
	}{p.Code, p.Name, p.Province, p.Timezone, p.Zoom}
	want := struct {
		Code, Name, Province, Timezone string
		Zoom                           int
	}{"53.71", "Kota Kupang", "Nusa Tenggara Timur", "Asia/Makassar", 12}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profile (-want +got):\n%s", diff)
	}
}

func TestKupangKecamatan(t *testing.T) {
	p := kupang(t)
	type kec struct {
		Code, Name string
		Kelurahan  int
	}
	var got []kec
	for _, r := range p.Kecamatan() {
		if r.Level != LevelKecamatan || r.ParentCode != "53.71" {
			t.Errorf("kecamatan %s: level %q parent %q", r.Code, r.Level, r.ParentCode)
		}
		got = append(got, kec{r.Code, r.Name, len(p.KelurahanIn(r.Code))})
	}
	want := []kec{
		{"53.71.01", "Alak", 12},
		{"53.71.02", "Maulafa", 9},
		{"53.71.03", "Kelapa Lima", 5},
		{"53.71.04", "Oebobo", 7},
		{"53.71.05", "Kota Raja", 8},
		{"53.71.06", "Kota Lama", 10},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kecamatan (-want +got):\n%s", diff)
	}
}

func TestKupangKelurahan(t *testing.T) {
	p := kupang(t)
	all := p.Kelurahan()
	if len(all) != 51 {
		t.Fatalf("got %d kelurahan, want 51", len(all))
	}
	for i, r := range all {
		if i > 0 && all[i-1].Code >= r.Code {
			t.Errorf("not sorted by code: %s before %s", all[i-1].Code, r.Code)
		}
		if r.Level != LevelKelurahan || len(r.Postcode) != 5 || r.AreaKm2 <= 0 || r.Lat == 0 || r.Lon == 0 {
			t.Errorf("kelurahan %s incomplete: %+v", r.Code, r)
		}
	}
	// Callers get copies: changing one must not change the profile.
	all[0].Name = "changed"
	if p.Kelurahan()[0].Name == "changed" {
		t.Error("Kelurahan() returned the profile's own slice")
	}
	if got := p.KelurahanIn("53.71.99"); got != nil {
		t.Errorf("KelurahanIn(unknown) = %v, want nil", got)
	}
}

func TestLookup(t *testing.T) {
	p := kupang(t)
	tests := []struct {
		code string
		want Region
		ok   bool
	}{
		{"53.71", Region{Code: "53.71", Name: "Kota Kupang", Level: LevelCity, ParentCode: "53", Lat: -10.2084, Lon: 123.6097, AreaKm2: 159.201}, true},
		{"53.71.02", Region{Code: "53.71.02", Name: "Maulafa", Level: LevelKecamatan, ParentCode: "53.71", Lat: -10.225951, Lon: 123.610482, AreaKm2: 53.529}, true},
		{"53.71.02.1003", Region{Code: "53.71.02.1003", Name: "Penfui", Level: LevelKelurahan, ParentCode: "53.71.02", Postcode: "85148", Lat: -10.174865, Lon: 123.668802, AreaKm2: 5.843}, true},
		{"53.71.03.1010", Region{Code: "53.71.03.1010", Name: "Oesapa", Level: LevelKelurahan, ParentCode: "53.71.03", Postcode: "85228", Lat: -10.147979, Lon: 123.652659, AreaKm2: 4.324}, true},
		{"53.71.03.1002", Region{}, false}, // codes are not sequential: 1002 does not exist
		{"", Region{}, false},
	}
	for _, tt := range tests {
		got, ok := p.Lookup(tt.code)
		if ok != tt.ok {
			t.Errorf("Lookup(%q) ok = %v, want %v", tt.code, ok, tt.ok)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Lookup(%q) (-want +got):\n%s", tt.code, diff)
		}
	}
}

func TestGeoJSONAsShipped(t *testing.T) {
	p := kupang(t)
	tests := []struct {
		file string
		got  func() []byte
	}{
		{"kelurahan.geojson", p.KelurahanGeoJSON},
		{"kecamatan.geojson", p.KecamatanGeoJSON},
		{"kota.geojson", p.OutlineGeoJSON},
	}
	for _, tt := range tests {
		want, err := os.ReadFile("profiles/kupang/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		got := tt.got()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: served bytes differ from the shipped file", tt.file)
		}
		got[0] = 'X'
		if tt.got()[0] == 'X' {
			t.Errorf("%s: the returned slice is the profile's own", tt.file)
		}
	}
}

func TestFile(t *testing.T) {
	p := kupang(t)
	want, err := os.ReadFile("profiles/kupang/wilayah.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.File("wilayah.csv"); err != nil || !bytes.Equal(got, want) {
		t.Errorf("File(wilayah.csv) = %d bytes, %v; want the shipped file", len(got), err)
	}
	for _, name := range []string{"no-such-file.csv", "../locate.go", "/etc/passwd"} {
		if _, err := p.File(name); err == nil || !strings.Contains(err.Error(), "regions: embedded profile kupang: ") {
			t.Errorf("File(%q): error %v, want one naming the profile", name, err)
		}
	}
	if _, err := p.File("no-such-file.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("File(missing): error %v, want fs.ErrNotExist", err)
	}
}
