// Package document renders the outputs of administrative services (a
// kelurahan letter, a PKKPR or PBG approval) as PDF with a QR code that
// points to the public verification page, and signs them with Ed25519.
package document

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Line is one labelled fact printed on the document and shown on the
// verification page.
type Line struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Content is what a document says. It is also stored as the document's
// "essential facts" so the verification page can show them.
type Content struct {
	Number     string    `json:"number"`      // document number
	FileNumber string    `json:"file_number"` // the application it completes
	Title      string    `json:"title"`
	Issuer     string    `json:"issuer"` // issuing unit's name
	City       string    `json:"city"`
	Applicant  string    `json:"applicant"`
	NIKMasked  string    `json:"nik_masked"`
	Body       string    `json:"body"`
	Lines      []Line    `json:"lines"`
	IssuedAt   time.Time `json:"issued_at"`
}

// Render writes the PDF. verifyURL goes into the QR code and the footer.
// The output depends only on its inputs (fixed creation date, no random
// ids), so re-rendering the same content gives the same bytes.
func Render(c Content, verifyURL string, loc *time.Location) ([]byte, error) {
	qr, err := qrcode.Encode(verifyURL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("document: qr code: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	// Sorted catalog entries keep the bytes stable from run to run.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(c.IssuedAt)
	pdf.SetModificationDate(c.IssuedAt)
	pdf.SetTitle(c.Title+" "+c.Number, true)
	pdf.SetAuthor(c.Issuer, true)
	// Core fonts are cp1252; the translator maps the few non-ASCII
	// characters of Indonesian names (é, –) instead of printing garbage.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 7, tr("PEMERINTAH "+upper(c.City)), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 6, tr(c.Issuer), "", 1, "C", false, 0, "")
	pdf.Line(20, pdf.GetY()+2, 190, pdf.GetY()+2)
	pdf.Ln(8)
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 8, tr(upper(c.Title)), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr("Nomor: "+c.Number), "", 1, "C", false, 0, "")
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, tr(c.Body), "", "J", false)
	pdf.Ln(3)
	lines := append([]Line{{"Nama pemohon", c.Applicant}, {"NIK", c.NIKMasked}, {"Nomor berkas", c.FileNumber}}, c.Lines...)
	for _, l := range lines {
		pdf.SetFont("Helvetica", "", 11)
		pdf.CellFormat(55, 6, tr(l.Label), "", 0, "L", false, 0, "")
		pdf.CellFormat(5, 6, ":", "", 0, "L", false, 0, "")
		pdf.MultiCell(0, 6, tr(l.Value), "", "L", false)
	}
	pdf.Ln(8)
	pdf.CellFormat(0, 6, tr(c.City+", "+c.IssuedAt.In(loc).Format("02-01-2006")), "", 1, "R", false, 0, "")
	pdf.CellFormat(0, 6, tr(c.Issuer), "", 1, "R", false, 0, "")
	y := pdf.GetY() + 4
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	pdf.ImageOptions("qr", 150, y, 40, 40, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetXY(20, y)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(120, 5, tr("Dokumen ini ditandatangani secara elektronik. Pindai kode QR atau buka "+verifyURL+
		" untuk memeriksa keaslian dan tanda tangan digitalnya."), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("document: render: %w", err)
	}
	return buf.Bytes(), nil
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }
