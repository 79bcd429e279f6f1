package files

import "strings"

// ContentType is a MIME type this package can recognise and store.
type ContentType string

// The content types that can be uploaded. WebP is accepted but never
// stored: there is no pure-Go WebP encoder, so WebP photos are stored as
// JPEG, or as PNG when they have transparency.
const (
	JPEG ContentType = "image/jpeg"
	PNG  ContentType = "image/png"
	WebP ContentType = "image/webp"
	PDF  ContentType = "application/pdf"
)

// Kind groups content types by how they are processed.
type Kind string

// Kinds of uploads.
const (
	KindImage Kind = "image" // decoded, sanitised and re-encoded
	KindPDF   Kind = "pdf"   // checked and stored as is
)

// Kind reports how the content type is processed, or "" for an unknown
// type.
func (c ContentType) Kind() Kind {
	switch c {
	case JPEG, PNG, WebP:
		return KindImage
	case PDF:
		return KindPDF
	}
	return ""
}

// Ext returns the file name extension used in store keys, with the dot,
// or "" for an unknown type.
func (c ContentType) Ext() string {
	switch c {
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	case WebP:
		return ".webp"
	case PDF:
		return ".pdf"
	}
	return ""
}

// contentTypeOfKey maps a key's extension back to its content type, for
// stores that cannot keep the type next to the bytes.
func contentTypeOfKey(key string) string {
	for _, c := range []ContentType{JPEG, PNG, WebP, PDF} {
		if strings.HasSuffix(key, c.Ext()) {
			return string(c)
		}
	}
	return "application/octet-stream"
}
