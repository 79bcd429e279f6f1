package files

import (
	"image"

	"golang.org/x/image/draw"
)

// Photos are shrunk with draw.BiLinear, the tent kernel. When shrinking,
// x/image/draw widens a kernel by the reduction factor, so every source
// pixel contributes and fine detail (roof tiles, text on signs) does not
// alias into moiré, whatever the reduction. The alternatives, measured on
// a 4000×3000 → 2048×1536 photo: ApproxBiLinear is ~3.5× faster but
// blends only the 2×2 nearest pixels, so it starts skipping source pixels
// once the reduction passes 2× (a 4:3 photo above ~12.6 MP at 2048 px);
// CatmullRom is ~45% slower, and its sharpening lobes add halos that a
// quality-82 JPEG of a pothole does not need. The tent kernel is the
// cheapest one that is correct at every reduction.
var scaleKernel = draw.BiLinear

// Strip sizes for the two scaling passes; see scaleDown.
const (
	rowStrip = 64
	colStrip = 32
)

// downscale returns img shrunk so neither side exceeds maxSide, or img
// itself when it already fits.
func downscale(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	dw, dh := fitWithin(b.Dx(), b.Dy(), maxSide)
	if dw == b.Dx() && dh == b.Dy() {
		return img
	}
	return scaleDown(img, dw, dh)
}

// fitWithin returns w×h scaled uniformly so the longest side is at most
// maxSide, rounding the shorter side to the nearest pixel (4000×3000
// becomes exactly 2048×1536).
func fitWithin(w, h, maxSide int) (int, int) {
	if w <= maxSide && h <= maxSide {
		return w, h
	}
	long, short := w, h
	if h > w {
		long, short = h, w
	}
	s := max(1, int((int64(short)*int64(maxSide)+int64(long)/2)/int64(long)))
	if w >= h {
		return maxSide, s
	}
	return s, maxSide
}

// scaleDown resamples src to dw×dh with scaleKernel.
//
// Kernel.Scale on the whole image would allocate a float64 RGBA buffer of
// dw × src height — about 200 MB for a 12 MP photo — on every upload. The
// kernel is separable, so the same result (up to rounding the
// intermediate to 8 bits) comes from two passes over strips: first rows
// are shrunk horizontally in bands of rowStrip rows, then columns of that
// intermediate are shrunk vertically in bands of colStrip columns. Along
// the band direction each pass is an exact identity, so bands join
// seamlessly, and the scratch memory drops to a few megabytes that each
// Scaler reuses across its bands.
func scaleDown(src image.Image, dw, dh int) *image.RGBA {
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()

	mid := image.NewRGBA(image.Rect(0, 0, dw, sh))
	rows := scaleKernel.NewScaler(dw, rowStrip, sw, rowStrip)
	for y := 0; y < sh; y += rowStrip {
		y1 := min(y+rowStrip, sh)
		// A shorter last band does not match the Scaler's size; Scale
		// then falls back to a one-off scaler of the right size.
		rows.Scale(mid, image.Rect(0, y, dw, y1), src,
			image.Rect(sb.Min.X, sb.Min.Y+y, sb.Max.X, sb.Min.Y+y1), draw.Src, nil)
	}

	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	cols := scaleKernel.NewScaler(colStrip, dh, colStrip, sh)
	for x := 0; x < dw; x += colStrip {
		x1 := min(x+colStrip, dw)
		cols.Scale(dst, image.Rect(x, 0, x1, dh), mid, image.Rect(x, 0, x1, sh), draw.Src, nil)
	}
	return dst
}

// toRGBA returns img as an *image.RGBA with its origin at 0,0, converting
// only when needed.
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}
