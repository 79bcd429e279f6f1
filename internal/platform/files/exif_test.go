package files

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

func TestParseEXIF(t *testing.T) {
	kupang := &GPS{kupangLatDeg, kupangLonDeg}
	tests := []struct {
		name    string
		tiff    []byte
		want    exifData
		wantErr bool
	}{
		{"little endian", buildEXIF(kupangEXIF(6)), exifData{6, kupang}, false},
		{"big endian", buildEXIF(exifSpec{bigEndian: true, orientation: 3, gps: true, latRef: "S", lonRef: "E", lat: kupangLat, lon: kupangLon}), exifData{3, kupang}, false},
		{"orientation only", buildEXIF(exifSpec{orientation: 8}), exifData{Orientation: 8}, false},
		{"north west", buildEXIF(exifSpec{gps: true, latRef: "N", lonRef: "W", lat: kupangLat, lon: kupangLon}), exifData{GPS: &GPS{-kupangLatDeg, -kupangLonDeg}}, false},
		{"nothing", buildEXIF(exifSpec{}), exifData{}, false},
		{"orientation out of range", buildEXIF(exifSpec{orientation: 9}), exifData{}, false},
		{"missing hemisphere", buildEXIF(exifSpec{orientation: 1, gps: true, lonRef: "E", lat: kupangLat, lon: kupangLon}), exifData{Orientation: 1}, false},
		{"bad hemisphere", buildEXIF(exifSpec{gps: true, latRef: "X", lonRef: "E", lat: kupangLat, lon: kupangLon}), exifData{}, false},
		{"zero denominator", buildEXIF(exifSpec{gps: true, latRef: "S", lonRef: "E", lat: [3][2]uint32{{10, 1}, {10, 0}, {0, 1}}, lon: kupangLon}), exifData{}, false},
		{"minutes ≥ 60", buildEXIF(exifSpec{gps: true, latRef: "S", lonRef: "E", lat: [3][2]uint32{{10, 1}, {60, 1}, {0, 1}}, lon: kupangLon}), exifData{}, false},
		{"latitude > 90", buildEXIF(exifSpec{gps: true, latRef: "S", lonRef: "E", lat: [3][2]uint32{{91, 1}, {0, 1}, {0, 1}}, lon: kupangLon}), exifData{}, false},
		{"null island", buildEXIF(exifSpec{gps: true, latRef: "N", lonRef: "E"}), exifData{}, false},
		{"empty", nil, exifData{}, true},
		{"bad byte order", []byte("XX\x2a\x00\x08\x00\x00\x00\x00\x00"), exifData{}, true},
		{"bad magic", []byte("II\x2b\x00\x08\x00\x00\x00\x00\x00"), exifData{}, true},
		{"IFD0 past end", []byte("II\x2a\x00\xff\xff\xff\xff"), exifData{}, true},
		{"IFD0 count past end", []byte("II\x2a\x00\x08\x00\x00\x00\xff\xff"), exifData{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseEXIF(tt.tiff)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got.Orientation != tt.want.Orientation {
				t.Errorf("Orientation = %d, want %d", got.Orientation, tt.want.Orientation)
			}
			if !sameGPS(got.GPS, tt.want.GPS) {
				t.Errorf("GPS = %v, want %v", got.GPS, tt.want.GPS)
			}
		})
	}
}

func sameGPS(a, b *GPS) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(a.Lat-b.Lat) < 1e-9 && math.Abs(a.Lon-b.Lon) < 1e-9
}

// TestParseEXIFOutOfBounds points every offset and count of a valid block
// past its end, one at a time: each must be caught, never panic.
func TestParseEXIFOutOfBounds(t *testing.T) {
	valid := buildEXIF(kupangEXIF(6))
	for i := 4; i+4 <= len(valid); i++ {
		for _, v := range []uint32{0xFFFFFFFF, uint32(len(valid)), uint32(len(valid) - 1)} {
			b := slices.Clone(valid)
			binary.LittleEndian.PutUint32(b[i:], v)
			d, _ := parseEXIF(b)
			checkEXIFInvariants(t, d)
		}
	}
	for n := range len(valid) {
		d, _ := parseEXIF(valid[:n])
		checkEXIFInvariants(t, d)
	}
}

func checkEXIFInvariants(t *testing.T, d exifData) {
	t.Helper()
	if d.Orientation < 0 || d.Orientation > 8 {
		t.Fatalf("Orientation = %d", d.Orientation)
	}
	if g := d.GPS; g != nil && !(math.Abs(g.Lat) <= 90 && math.Abs(g.Lon) <= 180) {
		t.Fatalf("GPS = %+v", *g)
	}
}

func TestReadEXIFContainers(t *testing.T) {
	tiff := buildEXIF(kupangEXIF(6))
	jpg := encodeJPEG(t, quadrants(16, 16))
	png := encodePNG(t, quadrants(16, 16))
	tests := []struct {
		name string
		c    ContentType
		b    []byte
		want int // orientation found; 0 = no EXIF found
	}{
		{"JPEG after APP0 and XMP", JPEG, insertAfterSOI(jpg, jpegSegment(0xE0, []byte("JFIF\x00\x01\x01")), xmpSegment(), exifSegment(tiff)), 6},
		{"JPEG with fill bytes", JPEG, insertAfterSOI(jpg, []byte{0xFF, 0xFF}, exifSegment(tiff)), 6},
		{"JPEG without EXIF", JPEG, insertAfterSOI(jpg, xmpSegment()), 0},
		{"JPEG EXIF after SOS is ignored", JPEG, append(slices.Clone(jpg[:len(jpg)-2]), exifSegment(tiff)...), 0},
		{"JPEG segment length past end", JPEG, []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x'}, 0},
		{"JPEG segment length < 2", JPEG, []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0xFF, 0xD9}, 0},
		{"PNG eXIf", PNG, insertAfterIHDR(png, pngChunk("tEXt", []byte("Comment\x00hi")), pngChunk("eXIf", tiff)), 6},
		{"PNG without eXIf", PNG, png, 0},
		{"PNG chunk length past end", PNG, append(slices.Clone(png[:33]), 0x7F, 0xFF, 0xFF, 0xFF, 'e', 'X', 'I', 'f'), 0},
		{"WebP EXIF chunk", WebP, webpWithEXIF(t, readTestdata(t, "blue-purple-pink.lossy.webp"), tiff), 6},
		{"WebP without EXIF", WebP, readTestdata(t, "blue-purple-pink.lossy.webp"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readEXIF(tt.c, tt.b)
			if d.Orientation != tt.want {
				t.Errorf("Orientation = %d, want %d", d.Orientation, tt.want)
			}
			if wantGPS := tt.want != 0; (d.GPS != nil) != wantGPS {
				t.Errorf("GPS = %v, want one: %v", d.GPS, wantGPS)
			}
		})
	}
}

// FuzzReadEXIF feeds arbitrary bytes to the EXIF reader, both as a bare
// TIFF structure and wrapped in each container, and to the container
// walkers as whole files. It must never panic and never report an
// impossible orientation or position.
func FuzzReadEXIF(f *testing.F) {
	f.Add(buildEXIF(kupangEXIF(6)))
	f.Add(buildEXIF(exifSpec{bigEndian: true, orientation: 3, gps: true, latRef: "N", lonRef: "W", lat: kupangLat, lon: kupangLon}))
	f.Add(buildEXIF(exifSpec{orientation: 8}))
	f.Add([]byte("MM\x00\x2a\x00\x00\x00\x08"))
	f.Add(insertAfterSOI([]byte{0xFF, 0xD8, 0xFF, 0xD9}, exifSegment(buildEXIF(kupangEXIF(1)))))
	f.Add(insertAfterIHDR(pngHeader(1, 1), pngChunk("eXIf", buildEXIF(kupangEXIF(2)))))
	f.Add(webpWithEXIF(f, readTestdata(f, "blue-purple-pink.lossy.webp"), buildEXIF(kupangEXIF(5))))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseEXIF(b)
		if err != nil && (d.Orientation != 0 || d.GPS != nil) {
			t.Fatalf("error %v with data %+v", err, d)
		}
		checkEXIFInvariants(t, d)
		for _, c := range []ContentType{JPEG, PNG, WebP} {
			checkEXIFInvariants(t, readEXIF(c, b))
		}
		// The same bytes inside a JPEG APP1 must read the same (zero when
		// they did not parse).
		if len(b)+8 <= 0xFFFF { // fits in one segment
			got := readEXIF(JPEG, insertAfterSOI([]byte{0xFF, 0xD8, 0xFF, 0xD9}, exifSegment(b)))
			if got.Orientation != d.Orientation || !sameGPS(got.GPS, d.GPS) {
				t.Fatalf("via JPEG %+v, bare %+v", got, d)
			}
		}
	})
}
