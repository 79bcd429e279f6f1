package files

import (
	"fmt"
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/draw"
)

// TestOrient checks every EXIF orientation on a 3×2 image whose pixels are
// numbered 0–5, against the layouts drawn from the EXIF 2.3 definitions:
//
//	stored: 0 1 2
//	        3 4 5
func TestOrient(t *testing.T) {
	tests := []struct {
		o    int
		want [][]uint8 // rows of pixel numbers as displayed
	}{
		{0, [][]uint8{{0, 1, 2}, {3, 4, 5}}},
		{1, [][]uint8{{0, 1, 2}, {3, 4, 5}}},
		{2, [][]uint8{{2, 1, 0}, {5, 4, 3}}},
		{3, [][]uint8{{5, 4, 3}, {2, 1, 0}}},
		{4, [][]uint8{{3, 4, 5}, {0, 1, 2}}},
		{5, [][]uint8{{0, 3}, {1, 4}, {2, 5}}},
		{6, [][]uint8{{3, 0}, {4, 1}, {5, 2}}},
		{7, [][]uint8{{5, 2}, {4, 1}, {3, 0}}},
		{8, [][]uint8{{2, 5}, {1, 4}, {0, 3}}},
		{9, [][]uint8{{0, 1, 2}, {3, 4, 5}}},
	}
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Pix[i*4] = uint8(i)
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.o), func(t *testing.T) {
			m := toRGBA(orient(src, tt.o))
			var got [][]uint8
			for y := range m.Rect.Dy() {
				var row []uint8
				for x := range m.Rect.Dx() {
					row = append(row, m.Pix[m.PixOffset(x, y)])
				}
				got = append(got, row)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("orientation %d (-want +got):\n%s", tt.o, diff)
			}
		})
	}
}

func TestFitWithin(t *testing.T) {
	tests := []struct{ w, h, max, wantW, wantH int }{
		{4000, 3000, 2048, 2048, 1536},
		{3000, 4000, 2048, 1536, 2048},
		{4032, 3024, 2048, 2048, 1536},
		{2048, 2048, 2048, 2048, 2048},
		{2049, 10, 2048, 2048, 10},
		{100, 5000, 2048, 41, 2048},
		{100000, 1, 2048, 2048, 1},
		{640, 480, 2048, 640, 480},
	}
	for _, tt := range tests {
		w, h := fitWithin(tt.w, tt.h, tt.max)
		if w != tt.wantW || h != tt.wantH {
			t.Errorf("fitWithin(%d, %d, %d) = %d×%d, want %d×%d", tt.w, tt.h, tt.max, w, h, tt.wantW, tt.wantH)
		}
	}
}

// TestScaleDownMatchesWholeImage checks that scaling in strips gives the
// same pixels as one Kernel.Scale over the whole image (up to rounding
// the 8-bit intermediate), including short last strips and a source whose
// origin is not 0,0.
func TestScaleDownMatchesWholeImage(t *testing.T) {
	for _, sz := range []struct{ sw, sh, dw, dh int }{
		{700, 500, 300, 214},
		{130, 1000, 13, 100},
		{1000, 129, 100, 13},
	} {
		t.Run(fmt.Sprintf("%dx%d", sz.sw, sz.sh), func(t *testing.T) {
			full := photoLike(sz.sw+5, sz.sh+3)
			src := full.SubImage(image.Rect(5, 3, sz.sw+5, sz.sh+3))
			want := image.NewRGBA(image.Rect(0, 0, sz.dw, sz.dh))
			scaleKernel.Scale(want, want.Rect, src, src.Bounds(), draw.Src, nil)
			got := scaleDown(src, sz.dw, sz.dh)
			if got.Rect != want.Rect {
				t.Fatalf("bounds %v, want %v", got.Rect, want.Rect)
			}
			for i := range want.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d < -1 || d > 1 {
					x, y := i/4%sz.dw, i/4/sz.dw
					t.Fatalf("pixel (%d,%d) channel %d = %d, want %d", x, y, i%4, got.Pix[i], want.Pix[i])
				}
			}
		})
	}
}

func TestOutputType(t *testing.T) {
	tests := []struct {
		name string
		in   ContentType
		file string
		want ContentType
	}{
		{"opaque WebP becomes JPEG", WebP, "blue-purple-pink.lossy.webp", JPEG},
		{"transparent WebP becomes PNG", WebP, "gopher-doc.with-alpha.lossless.webp", PNG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := decodeImage(readTestdata(t, tt.file), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := outputType(tt.in, img); got != tt.want {
				t.Errorf("outputType = %s, want %s", got, tt.want)
			}
		})
	}
	if got := outputType(PNG, image.NewRGBA(image.Rect(0, 0, 1, 1))); got != PNG {
		t.Errorf("PNG stays PNG, got %s", got)
	}
}
