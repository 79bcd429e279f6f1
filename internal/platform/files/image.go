package files

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// jpegQuality is visually indistinguishable from the phone's original at
// 2048 px while keeping a photo around 0.5–1 MB for citizens on slow
// mobile data.
const jpegQuality = 82

// photo is a sanitised image, ready to store.
type photo struct {
	data   []byte
	ct     ContentType
	width  int
	height int
	gps    *GPS
}

// processImage validates and sanitises an image whose type c was sniffed
// from b: it checks the pixel count, reads the EXIF orientation (and GPS
// when asked), decodes, shrinks, turns the image upright and re-encodes.
// Re-encoding is what removes the metadata: the encoders write pixels and
// nothing else.
//
// The decoders are called directly rather than through image.Decode, so
// a format registered elsewhere in the program (GIF, BMP) can never slip
// through.
func processImage(b []byte, c ContentType, p Policy) (photo, error) {
	cfg, err := decodeConfig(b, c)
	if err != nil {
		return photo{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return photo{}, fmt.Errorf("%w: image is %d×%d", ErrCorrupt, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(p.MaxPixels) {
		return photo{}, fmt.Errorf("%w: %d×%d is more than %d pixels", ErrTooManyPixels, cfg.Width, cfg.Height, p.MaxPixels)
	}
	meta := readEXIF(c, b)

	img, err := decodeImage(b, c)
	if err != nil {
		return photo{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	// The pixel limit was checked on the header; make sure it describes
	// what was decoded.
	if sz := img.Bounds().Size(); sz.X != cfg.Width || sz.Y != cfg.Height {
		return photo{}, fmt.Errorf("%w: header says %d×%d, data is %d×%d", ErrCorrupt, cfg.Width, cfg.Height, sz.X, sz.Y)
	}

	img = downscale(img, p.MaxSide)
	img = orient(img, meta.Orientation)

	out := outputType(c, img)
	var buf bytes.Buffer
	if err := encodeImage(&buf, img, out); err != nil {
		return photo{}, fmt.Errorf("files: encode %s: %w", out, err)
	}
	ph := photo{data: buf.Bytes(), ct: out, width: img.Bounds().Dx(), height: img.Bounds().Dy()}
	if p.ReadGPS {
		ph.gps = meta.GPS
	}
	return ph, nil
}

func decodeConfig(b []byte, c ContentType) (image.Config, error) {
	r := bytes.NewReader(b)
	switch c {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("not an image type: %q", c)
}

func decodeImage(b []byte, c ContentType) (image.Image, error) {
	r := bytes.NewReader(b)
	switch c {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("not an image type: %q", c)
}

// outputType picks the stored format. JPEG and PNG keep their format (PNG
// is lossless and usually a screenshot or has transparency). WebP cannot
// be re-encoded in pure Go, so it becomes JPEG, or PNG when it has
// transparent pixels that JPEG would lose.
func outputType(in ContentType, img image.Image) ContentType {
	if in != WebP {
		return in
	}
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return JPEG
	}
	return PNG
}

func encodeImage(buf *bytes.Buffer, img image.Image, c ContentType) error {
	switch c {
	case JPEG:
		return jpeg.Encode(buf, jpegSource(img), &jpeg.Options{Quality: jpegQuality})
	case PNG:
		return png.Encode(buf, img)
	}
	return fmt.Errorf("cannot encode %q", c)
}

// jpegSource hands the JPEG encoder one of the types it has fast paths
// for (RGBA, YCbCr, Gray); anything else would go through image.At one
// pixel at a time. outputType only sends opaque images here, so dropping
// an alpha plane loses nothing.
func jpegSource(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.RGBA, *image.YCbCr, *image.Gray:
		return m
	case *image.NYCbCrA:
		return &m.YCbCr
	}
	return toRGBA(img)
}
