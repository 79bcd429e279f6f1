package files

import (
	"bytes"
	"fmt"
)

// pdfTrailerWindow is how far from the end "%%EOF" may be. Writers append
// line ends and sometimes a few bytes of padding after it; PDF readers
// conventionally search the last 1024 bytes, and so do we.
const pdfTrailerWindow = 1024

// checkPDF accepts a PDF that starts with its header and ends with an
// end-of-file marker. PDFs are stored as they are (officers' documents
// must stay byte-identical, e.g. for signatures), so this is only a guard
// against truncated uploads and files that merely start with "%PDF-".
func checkPDF(b []byte) error {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return fmt.Errorf("%w: no PDF header", ErrCorrupt)
	}
	tail := b[max(0, len(b)-pdfTrailerWindow):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return fmt.Errorf("%w: PDF has no %%%%EOF marker (truncated?)", ErrCorrupt)
	}
	return nil
}
