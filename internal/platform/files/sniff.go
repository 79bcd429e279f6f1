package files

import "bytes"

// sniff identifies content by its leading magic bytes alone. File names
// and client-declared types are attacker controlled, so they are never
// consulted. It returns "" for anything else, including GIF, SVG, HTML and
// executables: browsers and viewers treat those as active content or they
// are simply not photos or documents.
func sniff(b []byte) ContentType {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return PDF
	}
	return ""
}
