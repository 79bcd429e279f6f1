package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var keyPattern = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png|pdf)$`)

// checkStored verifies the invariants of every successful Save: the key
// is the SHA-256 of exactly the stored bytes, the stored bytes are of the
// reported type and images carry no metadata.
func checkStored(t testing.TB, st *memStore, s Saved) []byte {
	t.Helper()
	b := st.get(t, s.Key)
	sum := sha256.Sum256(b)
	if !keyPattern.MatchString(s.Key) || s.SHA256 != hex.EncodeToString(sum[:]) || s.Key != s.SHA256+s.ContentType.Ext() {
		t.Errorf("Key %q / SHA256 %q do not address the stored bytes", s.Key, s.SHA256)
	}
	if s.Size != int64(len(b)) {
		t.Errorf("Size = %d, stored %d bytes", s.Size, len(b))
	}
	if got := sniff(b); got != s.ContentType {
		t.Errorf("stored bytes sniff as %q, Saved says %q", got, s.ContentType)
	}
	if s.Kind == KindImage {
		assertNoMetadata(t, b)
		cfg, err := decodeConfig(b, s.ContentType)
		if err != nil {
			t.Fatalf("stored image does not decode: %v", err)
		}
		if cfg.Width != s.Width || cfg.Height != s.Height {
			t.Errorf("stored image is %d×%d, Saved says %d×%d", cfg.Width, cfg.Height, s.Width, s.Height)
		}
	}
	return b
}

func TestSaveAcceptsEachType(t *testing.T) {
	jpg := phoneJPEG(t, quadrants(64, 48), kupangEXIF(1))
	tests := []struct {
		name         string
		in           []byte
		wantType     ContentType
		wantKind     Kind
		wantW, wantH int
	}{
		{"JPEG", jpg, JPEG, KindImage, 64, 48},
		{"PNG", encodePNG(t, quadrants(30, 20)), PNG, KindImage, 30, 20},
		{"opaque WebP", readTestdata(t, "blue-purple-pink.lossy.webp"), JPEG, KindImage, 150, 100},
		{"transparent WebP", readTestdata(t, "gopher-doc.with-alpha.lossless.webp"), PNG, KindImage, 75, 100},
		{"PDF", minimalPDF(), PDF, KindPDF, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(tt.in), Policy{})
			if err != nil {
				t.Fatal(err)
			}
			if s.ContentType != tt.wantType || s.Kind != tt.wantKind || s.Width != tt.wantW || s.Height != tt.wantH {
				t.Errorf("Saved = %s %s %d×%d, want %s %s %d×%d", s.ContentType, s.Kind, s.Width, s.Height, tt.wantType, tt.wantKind, tt.wantW, tt.wantH)
			}
			if s.GPS != nil {
				t.Errorf("GPS = %+v without ReadGPS", *s.GPS)
			}
			b := checkStored(t, st, s)
			if s.Kind == KindPDF && !bytes.Equal(b, tt.in) {
				t.Error("PDF not stored byte for byte")
			}
			if n := len(st.keys()); n != 1 {
				t.Errorf("store has %d objects", n)
			}
		})
	}
}

func TestSaveTransparentWebPKeepsAlpha(t *testing.T) {
	st := newMemStore()
	s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(readTestdata(t, "gopher-doc.with-alpha.lossless.webp")), Policy{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeImage(st.get(t, s.Key), PNG)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("corner alpha = %d, want transparent", a)
	}
}

// TestSaveRefusesDisguisedFiles: whatever the file pretends to be (the
// pipeline never sees names or declared types), only the magic bytes
// count.
func TestSaveRefusesDisguisedFiles(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		p    Policy
		want error
	}{
		{"empty", nil, Policy{}, ErrUnsupportedType},
		{"HTML", []byte("<!DOCTYPE html><script>alert(1)</script>"), Policy{}, ErrUnsupportedType},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), Policy{}, ErrUnsupportedType},
		{"XML-prefixed SVG", []byte(`<?xml version="1.0"?><svg/>`), Policy{}, ErrUnsupportedType},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"), Policy{}, ErrUnsupportedType},
		{"Windows EXE", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...), Policy{}, ErrUnsupportedType},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00"), Policy{}, ErrUnsupportedType},
		{"ZIP / DOCX", []byte("PK\x03\x04\x14\x00\x06\x00"), Policy{}, ErrUnsupportedType},
		{"text named foto.jpg", []byte("this is not a photo"), Policy{}, ErrUnsupportedType},
		{"RIFF but WAVE", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), Policy{}, ErrUnsupportedType},
		{"PDF header not at start", append([]byte("\n\n"), minimalPDF()...), Policy{}, ErrUnsupportedType},
		{"JPEG where only PDF is allowed", phoneJPEG(t, quadrants(16, 16), kupangEXIF(1)), Policy{Allow: []ContentType{PDF}}, ErrUnsupportedType},
		{"PDF where only photos are allowed", minimalPDF(), Policy{Allow: []ContentType{JPEG, PNG, WebP}}, ErrUnsupportedType},
		{"JPEG magic then HTML", []byte("\xff\xd8\xff<html><script>alert(1)</script></html>"), Policy{}, ErrCorrupt},
		{"PNG magic then garbage", []byte("\x89PNG\r\n\x1a\nnot really"), Policy{}, ErrCorrupt},
		{"WebP magic then garbage", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd"), Policy{}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			_, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(tt.in), tt.p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if keys := st.keys(); len(keys) != 0 {
				t.Errorf("stored %v", keys)
			}
		})
	}
}

// countingReader is an endless upload that counts what was read from it.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xFF
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestSaveTooLarge(t *testing.T) {
	ctx := context.Background()
	jpg := phoneJPEG(t, quadrants(64, 48), kupangEXIF(1))
	max := int64(len(jpg))

	t.Run("one byte over", func(t *testing.T) {
		st, dir := newLocalStore(t)
		_, err := NewUploads(st, Policy{}).Save(ctx, bytes.NewReader(append(jpg, 0)), Policy{MaxBytes: max})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if files := storedFiles(t, dir); len(files) != 0 {
			t.Errorf("store dir has %v", files)
		}
	})
	t.Run("exactly the limit", func(t *testing.T) {
		st, _ := newLocalStore(t)
		if _, err := NewUploads(st, Policy{}).Save(ctx, bytes.NewReader(jpg), Policy{MaxBytes: max}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("endless stream is not read past the limit", func(t *testing.T) {
		st, dir := newLocalStore(t)
		r := &countingReader{}
		_, err := NewUploads(st, Policy{MaxBytes: 1 << 20}).Save(ctx, io.LimitReader(r, 1<<40), Policy{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if r.n > 1<<20+1 {
			t.Errorf("read %d bytes, limit was %d", r.n, 1<<20)
		}
		if files := storedFiles(t, dir); len(files) != 0 {
			t.Errorf("store dir has %v", files)
		}
	})
}

func TestSaveDownscales(t *testing.T) {
	tests := []struct {
		w, h, orientation uint16
		wantW, wantH      int
	}{
		{4000, 3000, 1, 2048, 1536},
		{4000, 3000, 6, 1536, 2048}, // portrait shot on a landscape sensor
		{3000, 4000, 1, 1536, 2048},
		{2048, 1000, 1, 2048, 1000},
		{100, 5000, 1, 41, 2048},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d orientation %d", tt.w, tt.h, tt.orientation), func(t *testing.T) {
			st := newMemStore()
			in := phoneJPEG(t, quadrants(int(tt.w), int(tt.h)), kupangEXIF(tt.orientation))
			s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(in), Policy{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Width != tt.wantW || s.Height != tt.wantH {
				t.Errorf("stored %d×%d, want %d×%d", s.Width, s.Height, tt.wantW, tt.wantH)
			}
			checkStored(t, st, s)
		})
	}
}

func TestSaveReadsGPSThenStripsIt(t *testing.T) {
	webp := readTestdata(t, "blue-purple-pink.lossy.webp")
	be := kupangEXIF(1)
	be.bigEndian = true
	tests := []struct {
		name    string
		in      []byte
		readGPS bool
		want    *GPS
	}{
		{"JPEG little-endian EXIF", phoneJPEG(t, quadrants(64, 48), kupangEXIF(1)), true, &GPS{kupangLatDeg, kupangLonDeg}},
		{"JPEG big-endian EXIF", phoneJPEG(t, quadrants(64, 48), be), true, &GPS{kupangLatDeg, kupangLonDeg}},
		{"JPEG, GPS not asked for", phoneJPEG(t, quadrants(64, 48), kupangEXIF(1)), false, nil},
		{"JPEG without GPS", phoneJPEG(t, quadrants(64, 48), exifSpec{orientation: 1}), true, nil},
		{"PNG eXIf", insertAfterIHDR(encodePNG(t, quadrants(30, 20)), pngChunk("eXIf", buildEXIF(kupangEXIF(1))), pngChunk("tEXt", []byte("Comment\x00"+testComment))), true, &GPS{kupangLatDeg, kupangLonDeg}},
		{"WebP EXIF", webpWithEXIF(t, webp, buildEXIF(kupangEXIF(1))), true, &GPS{kupangLatDeg, kupangLonDeg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(tt.in), Policy{ReadGPS: tt.readGPS})
			if err != nil {
				t.Fatal(err)
			}
			if !sameGPSApprox(s.GPS, tt.want) {
				t.Errorf("GPS = %v, want %v", s.GPS, tt.want)
			}
			checkStored(t, st, s) // includes: no EXIF, XMP, comment or GPS left
		})
	}
}

func sameGPSApprox(a, b *GPS) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(a.Lat-b.Lat) < 1e-6 && math.Abs(a.Lon-b.Lon) < 1e-6
}

// TestSaveAppliesOrientation stores a 64×32 image with red, green / blue,
// white quadrants under each EXIF orientation and checks where the
// colours end up, e.g. orientation 6 (phone held upright) turns it 90°
// clockwise into a 32×64 image with blue, red / white, green.
func TestSaveAppliesOrientation(t *testing.T) {
	const R, G, B, W = "red", "green", "blue", "white"
	tests := []struct {
		o    uint16
		want [4]string // displayed top-left, top-right, bottom-left, bottom-right
	}{
		{1, [4]string{R, G, B, W}},
		{2, [4]string{G, R, W, B}},
		{3, [4]string{W, B, G, R}},
		{4, [4]string{B, W, R, G}},
		{5, [4]string{R, B, G, W}},
		{6, [4]string{B, R, W, G}},
		{7, [4]string{W, G, B, R}},
		{8, [4]string{G, W, R, B}},
	}
	webp := webpWithEXIF(t, readTestdata(t, "blue-purple-pink.lossy.webp"), buildEXIF(exifSpec{orientation: 3}))
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.o), func(t *testing.T) {
			st := newMemStore()
			in := phoneJPEG(t, quadrants(64, 32), exifSpec{orientation: tt.o})
			s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(in), Policy{})
			if err != nil {
				t.Fatal(err)
			}
			wantW, wantH := 64, 32
			if tt.o >= 5 {
				wantW, wantH = 32, 64
			}
			if s.Width != wantW || s.Height != wantH {
				t.Fatalf("stored %d×%d, want %d×%d", s.Width, s.Height, wantW, wantH)
			}
			img, err := decodeImage(checkStored(t, st, s), JPEG)
			if err != nil {
				t.Fatal(err)
			}
			got := [4]string{
				colorName(img.At(wantW/4, wantH/4)), colorName(img.At(3*wantW/4, wantH/4)),
				colorName(img.At(wantW/4, 3*wantH/4)), colorName(img.At(3*wantW/4, 3*wantH/4)),
			}
			if got != tt.want {
				t.Errorf("quadrants %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("WebP 3", func(t *testing.T) {
		st := newMemStore()
		plain, err := decodeImage(readTestdata(t, "blue-purple-pink.lossy.webp"), WebP)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(webp), Policy{})
		if err != nil {
			t.Fatal(err)
		}
		img, err := decodeImage(checkStored(t, st, s), JPEG)
		if err != nil {
			t.Fatal(err)
		}
		rotated, unrotated := meanDiff(img, orient(plain, 3)), meanDiff(img, plain)
		if rotated > 4 || unrotated < 2*rotated {
			t.Errorf("mean difference to the original turned 180°: %.1f, unturned: %.1f", rotated, unrotated)
		}
	})
}

func colorName(c color.Color) string {
	for name, want := range map[string]color.Color{
		"red": color.RGBA{255, 0, 0, 255}, "green": color.RGBA{0, 255, 0, 255},
		"blue": color.RGBA{0, 0, 255, 255}, "white": color.RGBA{255, 255, 255, 255},
	} {
		if near(c, want) {
			return name
		}
	}
	return fmt.Sprint(c)
}

// meanDiff is the mean absolute difference per channel (0–255) of two
// equally sized images.
func meanDiff(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	var sum, n float64
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}} {
				sum += float64(max(d[0], d[1])-min(d[0], d[1])) / 257
				n++
			}
		}
	}
	return sum / n
}

// near compares colours with room for JPEG's losses.
func near(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return max(x, y)-min(x, y) < 0x2000 }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

func TestSaveRefusesPixelBombs(t *testing.T) {
	small := encodeJPEG(t, quadrants(64, 48))
	tests := []struct {
		name string
		in   []byte
		p    Policy
	}{
		{"PNG claiming 100000×100000", pngHeader(100000, 100000), Policy{}},
		{"PNG claiming 8000×5001", pngHeader(8000, 5001), Policy{}},
		{"JPEG claiming 65000×65000", withJPEGSize(t, small, 65000, 65000), Policy{}},
		{"WebP canvas claiming 16384×16384", webpCanvas(webpWithEXIF(t, readTestdata(t, "blue-purple-pink.lossy.webp"), nil), 16384, 16384), Policy{}},
		{"real JPEG over a tight policy", small, Policy{MaxPixels: 64*48 - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			_, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(tt.in), tt.p)
			if !errors.Is(err, ErrTooManyPixels) || ErrorCode(err) != "too_many_pixels" {
				t.Fatalf("err = %v, want ErrTooManyPixels", err)
			}
			if keys := st.keys(); len(keys) != 0 {
				t.Errorf("stored %v", keys)
			}
		})
	}
}

// webpCanvas rewrites the canvas size in an extended WebP's VP8X chunk.
func webpCanvas(b []byte, w, h uint32) []byte {
	b = slices.Clone(b)
	const at = 12 + 8 + 4 // RIFF header, VP8X chunk header, flags
	w, h = w-1, h-1
	copy(b[at:], []byte{byte(w), byte(w >> 8), byte(w >> 16), byte(h), byte(h >> 8), byte(h >> 16)})
	return b
}

func TestSaveRefusesCorruptFiles(t *testing.T) {
	jpg := encodeJPEG(t, photoLike(256, 256))
	png := encodePNG(t, photoLike(256, 256))
	pdf := minimalPDF()
	tests := []struct {
		name string
		in   []byte
	}{
		{"truncated JPEG", jpg[:len(jpg)/2]},
		{"JPEG headers only", jpg[:200]},
		{"truncated PNG", png[:len(png)/2]},
		{"truncated PDF", pdf[:len(pdf)/2]},
		{"PDF header only", []byte("%PDF-1.7\n")},
		{"PDF with %%EOF far from the end", append(slices.Clone(pdf), bytes.Repeat([]byte("x"), 2*pdfTrailerWindow)...)},
		{"zero-sized PNG", pngHeader(0, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			_, err := NewUploads(st, Policy{}).Save(context.Background(), bytes.NewReader(tt.in), Policy{})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			if keys := st.keys(); len(keys) != 0 {
				t.Errorf("stored %v", keys)
			}
		})
	}
}

// TestAssertNoMetadata makes sure the metadata check used above is not
// vacuous: it must flag the uploads as they come from a phone.
func TestAssertNoMetadata(t *testing.T) {
	img := quadrants(16, 16)
	tests := []struct {
		name string
		in   []byte
		want bool // flagged
	}{
		{"phone JPEG", phoneJPEG(t, img, kupangEXIF(1)), true},
		{"JPEG with only a comment", insertAfterSOI(encodeJPEG(t, img), jpegSegment(0xFE, []byte("hi"))), true},
		{"PNG with eXIf", insertAfterIHDR(encodePNG(t, img), pngChunk("eXIf", buildEXIF(kupangEXIF(1)))), true},
		{"clean JPEG", encodeJPEG(t, img), false},
		{"clean PNG", encodePNG(t, img), false},
	}
	for _, tt := range tests {
		r := &recorder{TB: t}
		assertNoMetadata(r, tt.in)
		if r.failed != tt.want {
			t.Errorf("%s: flagged %v, want %v", tt.name, r.failed, tt.want)
		}
	}
}

// recorder notes failures instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

func TestSaveIsIdempotent(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	u := NewUploads(st, Policy{})
	in := phoneJPEG(t, photoLike(300, 200), kupangEXIF(6))
	a, err := u.Save(ctx, bytes.NewReader(in), Policy{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := u.Save(ctx, bytes.NewReader(in), Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("second save %+v, first %+v", b, a)
	}
	if st.puts != 1 {
		t.Errorf("%d Puts, want 1", st.puts)
	}
}

func TestSaveConcurrentSameContent(t *testing.T) {
	ctx := context.Background()
	st, dir := newLocalStore(t)
	u := NewUploads(st, Policy{})
	in := phoneJPEG(t, photoLike(600, 400), kupangEXIF(6))
	const n = 16
	keys := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := u.Save(ctx, bytes.NewReader(in), Policy{})
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = s.Key
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("keys differ: %q and %q", keys[0], k)
		}
	}
	files := storedFiles(t, dir)
	if len(files) != 1 || !strings.HasSuffix(files[0], keys[0]) {
		t.Fatalf("store dir has %v, want just %s", files, keys[0])
	}
	b := readAll(t, st, keys[0])
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:])+".jpg" != keys[0] {
		t.Error("stored object does not match its key")
	}
}

func TestSaveCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := newMemStore()
	_, err := NewUploads(st, Policy{}).Save(ctx, bytes.NewReader(minimalPDF()), Policy{})
	if !errors.Is(err, context.Canceled) || ErrorCode(err) != "" {
		t.Fatalf("err = %v, want context.Canceled without a refusal code", err)
	}
	if keys := st.keys(); len(keys) != 0 {
		t.Errorf("stored %v", keys)
	}
}

func TestPolicyDefaults(t *testing.T) {
	u := NewUploads(newMemStore(), Policy{MaxBytes: 5 << 20, ReadGPS: true})
	got := Policy{MaxSide: 1024}.or(u.defaults)
	want := Policy{MaxBytes: 5 << 20, Allow: DefaultPolicy().Allow, MaxPixels: 40_000_000, MaxSide: 1024, ReadGPS: true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("policy = %+v, want %+v", got, want)
	}
}

func TestErrorCodes(t *testing.T) {
	tests := []struct {
		err    *Error
		code   string
		status int
	}{
		{ErrTooLarge, "too_large", 413},
		{ErrUnsupportedType, "unsupported_type", 415},
		{ErrCorrupt, "corrupt", 422},
		{ErrTooManyPixels, "too_many_pixels", 422},
		{ErrInvalidKey, "invalid_key", 400},
	}
	for _, tt := range tests {
		wrapped := fmt.Errorf("handler: %w", fmt.Errorf("%w: detail", tt.err))
		if !errors.Is(wrapped, tt.err) {
			t.Errorf("errors.Is(%v, %v) = false", wrapped, tt.err)
		}
		var e *Error
		if !errors.As(wrapped, &e) || e.Code() != tt.code || e.HTTPStatus() != tt.status || ErrorCode(wrapped) != tt.code {
			t.Errorf("%v: code %q status %d, want %q %d", tt.err, ErrorCode(wrapped), e.HTTPStatus(), tt.code, tt.status)
		}
	}
	if ErrorCode(io.ErrUnexpectedEOF) != "" || ErrorCode(nil) != "" {
		t.Error("non-refusal errors must have no code")
	}
	if errors.Is(ErrCorrupt, ErrTooLarge) {
		t.Error("distinct refusals must not match each other")
	}
}

// FuzzSave runs the whole pipeline on arbitrary bytes: it must never
// panic, every error must be a refusal that stored nothing (the reader
// and store cannot fail here), and every success must satisfy
// checkStored.
func FuzzSave(f *testing.F) {
	f.Add(phoneJPEG(f, quadrants(40, 30), kupangEXIF(6)))
	f.Add(encodeJPEG(f, image.NewGray(image.Rect(0, 0, 9, 7))))
	f.Add(insertAfterIHDR(encodePNG(f, quadrants(20, 10)), pngChunk("eXIf", buildEXIF(kupangEXIF(8)))))
	f.Add(encodePNG(f, image.NewPaletted(image.Rect(0, 0, 5, 5), color.Palette{color.Black, color.White})))
	f.Add(readTestdata(f, "blue-purple-pink.lossy.webp"))
	f.Add(readTestdata(f, "gopher-doc.with-alpha.lossless.webp"))
	f.Add(webpWithEXIF(f, readTestdata(f, "blue-purple-pink.lossy.webp"), buildEXIF(kupangEXIF(7))))
	f.Add(minimalPDF())
	f.Add(pngHeader(100000, 100000))
	f.Add([]byte("<svg/>"))
	policy := Policy{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 32, ReadGPS: true}
	f.Fuzz(func(t *testing.T, b []byte) {
		st := newMemStore()
		s, err := NewUploads(st, policy).Save(context.Background(), bytes.NewReader(b), Policy{})
		if err != nil {
			if ErrorCode(err) == "" {
				t.Fatalf("error without refusal code: %v", err)
			}
			if keys := st.keys(); len(keys) != 0 {
				t.Fatalf("refused (%v) but stored %v", err, keys)
			}
			return
		}
		checkStored(t, st, s)
		if s.Kind == KindImage && (max(s.Width, s.Height) > policy.MaxSide || s.Width < 1 || s.Height < 1) {
			t.Fatalf("stored %d×%d", s.Width, s.Height)
		}
		if g := s.GPS; g != nil && !(math.Abs(g.Lat) <= 90 && math.Abs(g.Lon) <= 180) {
			t.Fatalf("GPS %+v", *g)
		}
	})
}

// discardStore measures the pipeline without storage: every key is new
// and Put only drains the reader.
type discardStore struct{}

func (discardStore) Stat(context.Context, string) (Info, error)          { return Info{}, fs.ErrNotExist }
func (discardStore) Open(context.Context, string) (io.ReadCloser, error) { return nil, fs.ErrNotExist }
func (discardStore) Delete(context.Context, string) error                { return nil }
func (discardStore) Put(_ context.Context, _ string, r io.Reader, _ int64, _ string) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// BenchmarkSave12MPPhoto saves a typical 12 MP (4000×3000) phone JPEG with
// EXIF, XMP and a comment: decode, shrink to 2048×1536, strip, re-encode,
// hash. "orientation=6" adds turning a portrait shot upright.
func BenchmarkSave12MPPhoto(b *testing.B) {
	photo := photoLike(4000, 3000)
	for _, o := range []uint16{1, 6} {
		b.Run(fmt.Sprintf("orientation=%d", o), func(b *testing.B) {
			in := phoneJPEG(b, photo, kupangEXIF(o))
			u := NewUploads(discardStore{}, Policy{})
			ctx := context.Background()
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			var out int64
			for b.Loop() {
				s, err := u.Save(ctx, bytes.NewReader(in), Policy{ReadGPS: true})
				if err != nil {
					b.Fatal(err)
				}
				out = s.Size
			}
			b.ReportMetric(float64(len(in))/1e6, "MB-in")
			b.ReportMetric(float64(out)/1e6, "MB-out")
		})
	}
}
