package files

import (
	"encoding/binary"
	"errors"
	"math"
)

// This file is a deliberately small EXIF reader. It reads exactly two
// things from the TIFF structure inside an EXIF block — the Orientation
// tag and the GPS position — because those are all the upload pipeline
// needs before the metadata is thrown away. The bytes come straight from
// citizens' uploads, so every offset and count is checked against the
// buffer, arithmetic is done in uint64 so it cannot wrap, and only the two
// IFDs that matter are visited (no IFD chains, no recursion), which bounds
// the work by the size of the input.

// exifData is what the pipeline takes from EXIF.
type exifData struct {
	// Orientation is the EXIF orientation (1–8), 0 when absent or invalid.
	Orientation int
	// GPS is the position, nil when absent or implausible.
	GPS *GPS
}

// GPS is a WGS 84 position in decimal degrees; south and west are negative.
type GPS struct {
	Lat, Lon float64
}

var errEXIF = errors.New("files: malformed EXIF")

const (
	tagOrientation = 0x0112
	tagGPSIFD      = 0x8825

	tagGPSLatitudeRef  = 0x0001
	tagGPSLatitude     = 0x0002
	tagGPSLongitudeRef = 0x0003
	tagGPSLongitude    = 0x0004
)

// TIFF field types used here, and their sizes in bytes.
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeUndefined = 7
	typeSLong     = 9
	typeSRational = 10
	typeIFD       = 13
)

func typeSize(t uint16) uint64 {
	switch t {
	case typeByte, typeASCII, typeUndefined:
		return 1
	case typeShort:
		return 2
	case typeLong, typeSLong, typeIFD:
		return 4
	case typeRational, typeSRational:
		return 8
	}
	return 0
}

// tiff is a TIFF structure (the payload of an EXIF block).
type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

// entry is one 12-byte IFD entry.
type entry struct {
	tag, typ uint16
	count    uint32
	value    []byte // the 4-byte value-or-offset field
}

// parseEXIF reads the orientation and GPS position from a TIFF structure.
// It fails only when the header or IFD0 is unreadable; a damaged GPS IFD
// just leaves GPS nil, because the orientation is still worth having.
func parseEXIF(b []byte) (exifData, error) {
	if len(b) < 8 {
		return exifData{}, errEXIF
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return exifData{}, errEXIF
	}
	if t.bo.Uint16(b[2:]) != 42 {
		return exifData{}, errEXIF
	}
	ifd0, n, ok := t.ifd(t.bo.Uint32(b[4:]))
	if !ok {
		return exifData{}, errEXIF
	}
	var d exifData
	for i := range n {
		e := t.entry(ifd0, i)
		switch e.tag {
		case tagOrientation:
			if v, ok := t.uint(e); ok && v >= 1 && v <= 8 {
				d.Orientation = int(v)
			}
		case tagGPSIFD:
			if off, ok := t.uint(e); ok {
				d.GPS = t.gps(off)
			}
		}
	}
	return d, nil
}

// ifd returns the entries of the IFD at off and their number, checking
// that all of them lie inside the buffer.
func (t tiff) ifd(off uint32) (entries []byte, n int, ok bool) {
	start := uint64(off)
	if start+2 > uint64(len(t.b)) {
		return nil, 0, false
	}
	n = int(t.bo.Uint16(t.b[start:]))
	end := start + 2 + uint64(n)*12
	if end > uint64(len(t.b)) {
		return nil, 0, false
	}
	return t.b[start+2 : end], n, true
}

func (t tiff) entry(entries []byte, i int) entry {
	e := entries[i*12 : i*12+12]
	return entry{
		tag:   t.bo.Uint16(e[0:]),
		typ:   t.bo.Uint16(e[2:]),
		count: t.bo.Uint32(e[4:]),
		value: e[8:12],
	}
}

// data returns an entry's value bytes: inline when they fit in four
// bytes, otherwise at the offset the entry points to.
func (t tiff) data(e entry) ([]byte, bool) {
	size := typeSize(e.typ) * uint64(e.count)
	if size == 0 {
		return nil, false
	}
	if size <= 4 {
		return e.value[:size], true
	}
	off := uint64(t.bo.Uint32(e.value))
	if off+size > uint64(len(t.b)) {
		return nil, false
	}
	return t.b[off : off+size], true
}

// uint reads a single SHORT or LONG (or IFD pointer). Writers disagree on
// which integer type they use for pointers, so all are accepted.
func (t tiff) uint(e entry) (uint32, bool) {
	if e.count != 1 {
		return 0, false
	}
	switch e.typ {
	case typeShort:
		return uint32(t.bo.Uint16(e.value)), true
	case typeLong, typeIFD:
		return t.bo.Uint32(e.value), true
	}
	return 0, false
}

// gps reads the GPS IFD at off. It returns nil unless both coordinates and
// both hemisphere references are present and plausible: a pin in the
// wrong hemisphere is worse than no pin.
func (t tiff) gps(off uint32) *GPS {
	entries, n, ok := t.ifd(off)
	if !ok {
		return nil
	}
	var (
		latRef, lonRef byte
		lat, lon       = math.NaN(), math.NaN()
	)
	for i := range n {
		e := t.entry(entries, i)
		switch e.tag {
		case tagGPSLatitudeRef:
			latRef = t.ref(e)
		case tagGPSLongitudeRef:
			lonRef = t.ref(e)
		case tagGPSLatitude:
			lat = t.degrees(e)
		case tagGPSLongitude:
			lon = t.degrees(e)
		}
	}
	switch latRef {
	case 'N':
	case 'S':
		lat = -lat
	default:
		return nil
	}
	switch lonRef {
	case 'E':
	case 'W':
		lon = -lon
	default:
		return nil
	}
	// NaN fails both comparisons, so a missing coordinate is rejected here.
	if !(math.Abs(lat) <= 90 && math.Abs(lon) <= 180) {
		return nil
	}
	// Phones without a fix sometimes write 0,0; a pin in the Gulf of
	// Guinea helps nobody in Kupang.
	if lat == 0 && lon == 0 {
		return nil
	}
	return &GPS{Lat: lat, Lon: lon}
}

// ref reads a one-letter ASCII reference such as "N" or "W".
func (t tiff) ref(e entry) byte {
	if e.typ != typeASCII {
		return 0
	}
	b, ok := t.data(e)
	if !ok || len(b) == 0 {
		return 0
	}
	return b[0]
}

// degrees converts a degrees[, minutes[, seconds]] RATIONAL triple to
// decimal degrees, or NaN when malformed. EXIF mandates three values, but
// some writers put everything in the first, so fewer are accepted.
func (t tiff) degrees(e entry) float64 {
	if e.typ != typeRational && e.typ != typeSRational || e.count < 1 || e.count > 3 {
		return math.NaN()
	}
	b, ok := t.data(e)
	if !ok {
		return math.NaN()
	}
	var deg float64
	for i, scale := range []float64{1, 60, 3600}[:e.count] {
		num, den := t.bo.Uint32(b[i*8:]), t.bo.Uint32(b[i*8+4:])
		if e.typ == typeSRational && (int32(num) < 0 || int32(den) < 0) {
			return math.NaN()
		}
		if den == 0 {
			return math.NaN()
		}
		v := float64(num) / float64(den)
		if i > 0 && v >= 60 {
			return math.NaN()
		}
		deg += v / scale
	}
	return deg
}
