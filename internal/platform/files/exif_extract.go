package files

import (
	"bytes"
	"encoding/binary"
)

// exifHeader prefixes the TIFF structure in a JPEG APP1 segment (and, from
// some writers, in a WebP EXIF chunk).
const exifHeader = "Exif\x00\x00"

// readEXIF finds the EXIF block of an image and parses it. Metadata is
// optional and will be discarded anyway, so a missing or damaged block
// yields the zero exifData rather than refusing a photo that decodes
// fine.
func readEXIF(c ContentType, b []byte) exifData {
	var payload []byte
	switch c {
	case JPEG:
		payload = jpegEXIF(b)
	case PNG:
		payload = pngEXIF(b)
	case WebP:
		payload = webpEXIF(b)
	}
	if payload == nil {
		return exifData{}
	}
	d, err := parseEXIF(payload)
	if err != nil {
		return exifData{}
	}
	return d
}

// jpegEXIF returns the TIFF structure of the first EXIF APP1 segment. It
// walks the marker segments up to the start of the scan, which is where
// metadata lives.
func jpegEXIF(b []byte) []byte {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+2 <= len(b) {
		if b[i] != 0xFF {
			return nil
		}
		m := b[i+1]
		if m == 0xFF { // fill byte before a marker
			i++
			continue
		}
		i += 2
		switch {
		case m == 0x01 || m >= 0xD0 && m <= 0xD8: // TEM, RSTn, SOI: no length
			continue
		case m == 0xD9 || m == 0xDA: // EOI, SOS: no metadata past here
			return nil
		}
		if i+2 > len(b) {
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i:])) // includes its own two bytes
		if n < 2 || i+n > len(b) {
			return nil
		}
		seg := b[i+2 : i+n]
		if m == 0xE1 && bytes.HasPrefix(seg, []byte(exifHeader)) {
			return seg[len(exifHeader):]
		}
		i += n
	}
	return nil
}

// pngEXIF returns the data of the eXIf chunk.
func pngEXIF(b []byte) []byte {
	const sigLen = 8
	i := uint64(sigLen)
	for i+8 <= uint64(len(b)) {
		n := uint64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		end := i + 8 + n + 4 // length, type, data, CRC
		if end > uint64(len(b)) {
			return nil
		}
		switch typ {
		case "eXIf":
			return b[i+8 : i+8+n]
		case "IEND":
			return nil
		}
		i = end
	}
	return nil
}

// webpEXIF returns the data of the EXIF chunk of an extended (VP8X) WebP.
func webpEXIF(b []byte) []byte {
	const headerLen = 12 // "RIFF", size, "WEBP"
	i := uint64(headerLen)
	for i+8 <= uint64(len(b)) {
		n := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		if i+8+n > uint64(len(b)) {
			return nil
		}
		if string(b[i:i+4]) == "EXIF" {
			return bytes.TrimPrefix(b[i+8:i+8+n], []byte(exifHeader))
		}
		i += 8 + n + n&1 // chunks are padded to an even length
	}
	return nil
}
