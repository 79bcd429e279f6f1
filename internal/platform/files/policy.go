package files

import "slices"

// Policy limits what an upload may be. A zero field means "use the
// default" — the defaults given to [NewUploads], and for fields zero there
// too, [DefaultPolicy] — so a handler only spells out what differs, e.g.
// Policy{Allow: []ContentType{PDF}} for an officer's document.
type Policy struct {
	// MaxBytes is the largest accepted upload in bytes.
	MaxBytes int64
	// Allow lists the accepted content types (as sniffed from the bytes).
	Allow []ContentType
	// MaxPixels is the largest accepted width×height, checked from the
	// image header before any pixel is decoded, so that a tiny file
	// claiming to be 100000×100000 cannot exhaust memory.
	MaxPixels int
	// MaxSide is the longest side, in pixels, of a stored photo; larger
	// photos are shrunk to it.
	MaxSide int
	// ReadGPS asks for the EXIF GPS position of a photo in Saved.GPS. It
	// is opt-in because the position is personal data: only a caller that
	// has a use for it (pre-filling a report's map pin) should see it.
	ReadGPS bool
}

// DefaultPolicy is the policy used where neither the call nor
// [NewUploads] says otherwise: 20 MiB (a 40 MP phone JPEG or a scanned
// PDF), any supported type, 40 megapixels, 2048 px.
func DefaultPolicy() Policy {
	return Policy{
		MaxBytes:  20 << 20,
		Allow:     []ContentType{JPEG, PNG, WebP, PDF},
		MaxPixels: 40_000_000,
		MaxSide:   2048,
	}
}

// or returns p with its zero (or nonsensical negative) fields taken from d.
func (p Policy) or(d Policy) Policy {
	if p.MaxBytes <= 0 {
		p.MaxBytes = d.MaxBytes
	}
	if len(p.Allow) == 0 {
		p.Allow = d.Allow
	}
	if p.MaxPixels <= 0 {
		p.MaxPixels = d.MaxPixels
	}
	if p.MaxSide <= 0 {
		p.MaxSide = d.MaxSide
	}
	p.ReadGPS = p.ReadGPS || d.ReadGPS
	return p
}

func (p Policy) allows(c ContentType) bool {
	return c != "" && slices.Contains(p.Allow, c)
}
