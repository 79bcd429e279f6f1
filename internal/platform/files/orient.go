package files

import "image"

// orient returns img turned upright according to its EXIF orientation
// (1–8). The orientation tag disappears with the rest of the metadata, so
// the pixels themselves must be turned, or photos taken with the phone
// held upright would be stored lying on their side.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 { // the transposing orientations swap the sides
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))

	// Each orientation maps source (x, y) to destination
	// (ax + bx·x + cx·y, ay + by·x + cy·y), given here per EXIF 2.3 §4.6.4.
	var ax, bx, cx, ay, by, cy int
	switch o {
	case 2: // mirror horizontally
		ax, bx, cx, ay, by, cy = w-1, -1, 0, 0, 0, 1
	case 3: // rotate 180°
		ax, bx, cx, ay, by, cy = w-1, -1, 0, h-1, 0, -1
	case 4: // mirror vertically
		ax, bx, cx, ay, by, cy = 0, 1, 0, h-1, 0, -1
	case 5: // transpose
		ax, bx, cx, ay, by, cy = 0, 0, 1, 0, 1, 0
	case 6: // rotate 90° clockwise
		ax, bx, cx, ay, by, cy = h-1, 0, -1, 0, 1, 0
	case 7: // transverse
		ax, bx, cx, ay, by, cy = h-1, 0, -1, w-1, -1, 0
	case 8: // rotate 90° counter-clockwise
		ax, bx, cx, ay, by, cy = 0, 0, 1, w-1, -1, 0
	}
	// The map is affine, so walk it with byte offsets instead of
	// recomputing coordinates per pixel.
	stepX := by*dst.Stride + bx*4
	stepY := cy*dst.Stride + cx*4
	rowStart := ay*dst.Stride + ax*4
	for y := range h {
		s := src.Pix[y*src.Stride : y*src.Stride+w*4]
		d := rowStart
		for x := 0; x < len(s); x += 4 {
			copy(dst.Pix[d:d+4], s[x:x+4])
			d += stepX
		}
		rowStart += stepY
	}
	return dst
}
