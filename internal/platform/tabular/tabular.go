// Package tabular writes a table — a header and rows of strings and
// numbers — as CSV or as an XLSX workbook, so every module's open-data and
// report downloads come in both formats from one piece of code.
package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is what a download holds. Cells are strings, ints or float64s;
// numbers stay numbers in XLSX, so a spreadsheet can sum them.
type Table struct {
	Sheet  string // XLSX sheet name (≤ 31 characters)
	Header []string
	Rows   [][]any
}

// Format is a download format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat accepts "csv" and "xlsx".
func ParseFormat(s string) (Format, bool) {
	switch Format(s) {
	case CSV, XLSX:
		return Format(s), true
	}
	return "", false
}

// Serve writes the table as a download named base.<format>.
func Serve(w http.ResponseWriter, t Table, f Format, base string) error {
	switch f {
	case XLSX:
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		f = CSV
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, base, f))
	if f == XLSX {
		return WriteXLSX(w, t)
	}
	return WriteCSV(w, t)
}

// WriteCSV writes the header and rows as CSV.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	rec := make([]string, 0, len(t.Header))
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, cell(c))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes one sheet with a bold header row, streaming the rows
// so large tables do not sit in memory twice.
func WriteXLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Data"
	}
	if len(sheet) > 31 {
		sheet = sheet[:31]
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, row := range t.Rows {
		addr, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(addr, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// formulaStart are the first characters with which a spreadsheet reads a
// CSV cell as a formula ("=HYPERLINK(…)" typed into a name field).
const formulaStart = "=+-@\t\r"

// CSVText is a text cell for a CSV file: one a spreadsheet would read as
// a formula gets a leading apostrophe, so it stays text. Numbers are
// written from their own types and never pass through here.
func CSVText(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

func cell(c any) string {
	switch v := c.(type) {
	case string:
		return CSVText(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
