package files

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Test inputs are generated here rather than kept as binary fixtures, so
// every EXIF byte a test relies on is visible in code.

// Kupang city hall, as degrees/minutes/seconds rationals:
// 10°10'17.76" S, 123°40'15.96" E = -10.1716, 123.6711.
var (
	kupangLat = [3][2]uint32{{10, 1}, {10, 1}, {1776, 100}}
	kupangLon = [3][2]uint32{{123, 1}, {40, 1}, {1596, 100}}
)

const (
	kupangLatDeg = -10.1716
	kupangLonDeg = 123.6711
)

// exifSpec describes an EXIF TIFF structure for buildEXIF.
type exifSpec struct {
	bigEndian   bool
	orientation uint16 // 0 leaves the tag out
	gps         bool
	latRef      string // "N"/"S"; "" leaves the tag out
	lonRef      string
	lat, lon    [3][2]uint32
}

// kupangEXIF is a typical phone EXIF block: orientation plus a fix in
// Kupang.
func kupangEXIF(orientation uint16) exifSpec {
	return exifSpec{orientation: orientation, gps: true, latRef: "S", lonRef: "E", lat: kupangLat, lon: kupangLon}
}

// buildEXIF lays out a TIFF header, IFD0 (Orientation, GPS pointer), the
// GPS IFD and the rationals it points to, in that order.
func buildEXIF(s exifSpec) []byte {
	var bo interface {
		binary.ByteOrder
		binary.AppendByteOrder
	} = binary.LittleEndian
	hdr := []byte("II")
	if s.bigEndian {
		bo, hdr = binary.BigEndian, []byte("MM")
	}
	type ent struct {
		tag, typ uint16
		count    uint32
		value    []byte // inline (≤4 bytes) or out-of-line data
	}
	u16 := func(v uint16) []byte { return bo.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return bo.AppendUint32(nil, v) }
	rationals := func(r [3][2]uint32) []byte {
		var b []byte
		for _, x := range r {
			b = bo.AppendUint32(b, x[0])
			b = bo.AppendUint32(b, x[1])
		}
		return b
	}

	var ifd0, gps []ent
	if s.orientation != 0 {
		ifd0 = append(ifd0, ent{tagOrientation, typeShort, 1, u16(s.orientation)})
	}
	if s.latRef != "" {
		gps = append(gps, ent{tagGPSLatitudeRef, typeASCII, 2, []byte(s.latRef + "\x00")})
	}
	if s.gps {
		gps = append(gps, ent{tagGPSLatitude, typeRational, 3, rationals(s.lat)})
	}
	if s.lonRef != "" {
		gps = append(gps, ent{tagGPSLongitudeRef, typeASCII, 2, []byte(s.lonRef + "\x00")})
	}
	if s.gps {
		gps = append(gps, ent{tagGPSLongitude, typeRational, 3, rationals(s.lon)})
	}
	ifdLen := func(n int) int { return 2 + 12*n + 4 }
	gpsOff := 8 + ifdLen(len(ifd0)+1)
	if s.gps || s.latRef != "" || s.lonRef != "" {
		ifd0 = append(ifd0, ent{tagGPSIFD, typeLong, 1, u32(uint32(gpsOff))})
	} else {
		gpsOff = 8 + ifdLen(len(ifd0))
	}

	out := append(hdr, u16(42)...)
	out = append(out, u32(8)...)
	writeIFD := func(es []ent, dataOff int) []byte {
		var ifd, data []byte
		ifd = bo.AppendUint16(ifd, uint16(len(es)))
		for _, e := range es {
			ifd = bo.AppendUint16(ifd, e.tag)
			ifd = bo.AppendUint16(ifd, e.typ)
			ifd = bo.AppendUint32(ifd, e.count)
			if len(e.value) <= 4 {
				ifd = append(ifd, e.value...)
				ifd = append(ifd, make([]byte, 4-len(e.value))...)
			} else {
				ifd = bo.AppendUint32(ifd, uint32(dataOff+len(data)))
				data = append(data, e.value...)
			}
		}
		ifd = bo.AppendUint32(ifd, 0) // no next IFD
		return append(ifd, data...)
	}
	out = append(out, writeIFD(ifd0, 8+ifdLen(len(ifd0)))...)
	if len(gps) > 0 {
		out = append(out, writeIFD(gps, gpsOff+ifdLen(len(gps)))...)
	}
	return out
}

// jpegSegment builds a JPEG marker segment.
func jpegSegment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

func exifSegment(tiff []byte) []byte { return jpegSegment(0xE1, append([]byte(exifHeader), tiff...)) }

// xmpSegment is an XMP packet as phones write it, including a position.
func xmpSegment() []byte {
	return jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="10,10.296S"/></rdf:RDF></x:xmpmeta>`))
}

const testComment = "Pelapor: Maria, HP 0812-3456-7890"

// insertAfterSOI puts segments right after a JPEG's SOI marker, where
// cameras put their metadata.
func insertAfterSOI(jpg []byte, segs ...[]byte) []byte {
	out := slices.Clone(jpg[:2])
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// quadrants is a w×h image whose quadrants are red, green (top) and blue,
// white (bottom): under any orientation each colour lands in a distinct
// corner.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			var c color.RGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.RGBA{255, 0, 0, 255}
			case y < h/2:
				c = color.RGBA{0, 255, 0, 255}
			case x < w/2:
				c = color.RGBA{0, 0, 255, 255}
			default:
				c = color.RGBA{255, 255, 255, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// photoLike is a w×h image with gradients and sensor-like noise, so JPEG
// sizes and decode times resemble a real phone photo.
func photoLike(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(x*200/w) + n
			m.Pix[i+1] = uint8(y*200/h) + n
			m.Pix[i+2] = uint8((x+y)*100/(w+h)) + n
			m.Pix[i+3] = 255
		}
	}
	return m
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// phoneJPEG is what a phone camera uploads: a JPEG with an EXIF APP1
// (orientation, GPS), an XMP APP1 and a comment.
func phoneJPEG(t testing.TB, img image.Image, e exifSpec) []byte {
	t.Helper()
	return insertAfterSOI(encodeJPEG(t, img),
		exifSegment(buildEXIF(e)), xmpSegment(), jpegSegment(0xFE, []byte(testComment)))
}

// pngChunk builds a PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// insertAfterIHDR puts chunks right after a PNG's IHDR chunk.
func insertAfterIHDR(p []byte, chunks ...[]byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := slices.Clone(p[:ihdrEnd])
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[ihdrEnd:]...)
}

// pngHeader is a PNG that claims w×h pixels and has no pixel data: a
// decompression bomb as far as DecodeConfig can tell.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// withJPEGSize rewrites the dimensions in a baseline JPEG's SOF0 segment.
func withJPEGSize(t testing.TB, jpg []byte, w, h uint16) []byte {
	t.Helper()
	out := slices.Clone(jpg)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(out[i+5:], h)
	binary.BigEndian.PutUint16(out[i+7:], w)
	return out
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// webpWithEXIF wraps the frame of a simple (VP8) WebP in the extended
// format with an EXIF chunk after the image data, where libwebp puts it.
func webpWithEXIF(t testing.TB, simple []byte, tiff []byte) []byte {
	t.Helper()
	if string(simple[12:16]) != "VP8 " {
		t.Fatal("want a simple lossy WebP")
	}
	cfg, err := decodeConfig(simple, WebP)
	if err != nil {
		t.Fatal(err)
	}
	chunk := func(fourcc string, data []byte) []byte {
		b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		b = append(b, data...)
		if len(data)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	w, h := uint32(cfg.Width-1), uint32(cfg.Height-1)
	vp8x := []byte{0x08, 0, 0, 0, byte(w), byte(w >> 8), byte(w >> 16), byte(h), byte(h >> 8), byte(h >> 16)}
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...) // the VP8 chunk as is
	body = append(body, chunk("EXIF", append([]byte(exifHeader), tiff...))...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

// minimalPDF is a complete one-page PDF.
func minimalPDF() []byte {
	return []byte(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
xref
0 4
0000000000 65535 f 
0000000009 00000 n 
0000000058 00000 n 
0000000115 00000 n 
trailer << /Size 4 /Root 1 0 R >>
startxref
186
%%EOF
`)
}

// assertNoMetadata fails if stored image bytes carry anything but pixels:
// no APPn or COM segment in a JPEG, no ancillary chunk other than
// transparency in a PNG, and none of the telltale strings anywhere.
func assertNoMetadata(t testing.TB, b []byte) {
	t.Helper()
	for _, s := range []string{exifHeader, "http://ns.adobe.com/xap", "xmpmeta", "GPSLatitude", testComment, "eXIf", "tEXt", "iTXt", "zTXt", "iCCP"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("stored bytes contain %q", s)
		}
	}
	switch sniff(b) {
	case JPEG:
		for i := 2; i+4 <= len(b); {
			m := b[i+1]
			if m == 0xDA { // start of scan: only entropy-coded data follows
				return
			}
			if m >= 0xE0 && m <= 0xEF || m == 0xFE {
				t.Errorf("stored JPEG has segment FF%02X", m)
			}
			i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
		}
	case PNG:
		for i := 8; i+8 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			typ := string(b[i+4 : i+8])
			switch typ {
			case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
			default:
				t.Errorf("stored PNG has chunk %q", typ)
			}
			i += 12 + n
		}
	default:
		t.Errorf("stored bytes are not JPEG or PNG")
	}
}

// memStore is an in-memory Store for tests.
type memStore struct {
	mu   sync.Mutex
	objs map[string][]byte
	puts int
}

func newMemStore() *memStore { return &memStore{objs: map[string][]byte{}} }

func (s *memStore) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if size >= 0 && int64(len(b)) != size {
		return fmt.Errorf("memStore: size %d, want %d", len(b), size)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objs[key] = b
	s.puts++
	return nil
}

func (s *memStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objs[key]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (s *memStore) Stat(ctx context.Context, key string) (Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objs[key]
	if !ok {
		return Info{}, fs.ErrNotExist
	}
	return Info{Key: key, Size: int64(len(b)), ContentType: contentTypeOfKey(key), ModTime: time.Now()}, nil
}

func (s *memStore) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objs, key)
	return nil
}

func (s *memStore) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.objs))
}

func (s *memStore) get(t testing.TB, key string) []byte {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objs[key]
	if !ok {
		t.Fatalf("store has no %s; has %v", key, slices.Collect(maps.Keys(s.objs)))
	}
	return b
}

// storedFiles lists every regular file under dir, temporary ones included.
func storedFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
