package prices

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// table is an imported file read line by line: a header naming the
// columns, then data lines, each with the line number a person sees in a
// text editor or a spreadsheet, so that error reports point at the line.
// The file is CSV or an XLSX workbook (its first sheet); the importers
// do not know which.
type table struct {
	src rowSource
	col map[string]int
}

// rowSource yields a file's lines: the cells, the line number, and io.EOF
// after the last one.
type rowSource interface {
	next() ([]string, int, error)
	close()
}

// xlsxMagic starts every XLSX file (a ZIP archive); no CSV starts so.
var xlsxMagic = []byte("PK\x03\x04")

// openTable reads the header and checks it against the required and
// optional columns (case and surrounding spaces do not matter).
func openTable(r io.Reader, required, optional []string) (*table, *ImportError) {
	br := bufio.NewReaderSize(r, 64<<10)
	var src rowSource
	if head, _ := br.Peek(len(xlsxMagic)); bytes.Equal(head, xlsxMagic) {
		xs, err := openXLSX(br)
		if err != nil {
			return nil, &ImportError{Line: 1, Key: "prices.import.xlsx", Args: []any{err.Error()}}
		}
		src = xs
	} else {
		src = newCSVSource(br)
	}
	head, _, err := src.next()
	if err == io.EOF {
		src.close()
		return nil, &ImportError{Line: 1, Key: "prices.import.empty"}
	}
	if err != nil {
		src.close()
		return nil, &ImportError{Line: 1, Key: "prices.import.csv", Args: []any{csvMessage(err)}}
	}
	t := &table{src: src, col: map[string]int{}}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "" && i == len(head)-1 {
			continue // a trailing separator, as spreadsheets write
		}
		if !contains(required, h) && !contains(optional, h) {
			src.close()
			return nil, &ImportError{Line: 1, Key: "prices.import.unknown_column", Args: []any{h, strings.Join(append(append([]string{}, required...), optional...), ",")}}
		}
		t.col[h] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			src.close()
			return nil, &ImportError{Line: 1, Key: "prices.import.missing_column", Args: []any{c}}
		}
	}
	if x, ok := src.(*xlsxSource); ok {
		if i, ok := t.col["date"]; ok {
			x.dateCol = i
		}
	}
	return t, nil
}

// next returns the next data line and its number, io.EOF at the end.
func (t *table) next() ([]string, int, error) { return t.src.next() }

func (t *table) close() { t.src.close() }

// get returns a column's trimmed value ("" when absent on the line).
func (t *table) get(rec []string, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// csvSource streams a CSV file; blank lines are skipped (and counted).
type csvSource struct{ r *csv.Reader }

func newCSVSource(r io.Reader) *csvSource {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	return &csvSource{r: cr}
}

func (c *csvSource) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err != nil {
		// FieldPos describes the last record read and panics when there
		// was none (an empty file, a bad first line): a bad line
		// carries its own line number.
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, err
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

func (c *csvSource) close() {}

// xlsxSource streams the first sheet of a workbook. Cells are read raw
// (15000.5, not "Rp15.000,50" as a cell format would show it), so numbers
// parse as they do in CSV; a date typed into a spreadsheet is stored as a
// serial day number, which the date column turns back into YYYY-MM-DD.
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	line     int
	dateCol  int
	date1904 bool
}

// maxXLSXUnzip bounds what a workbook may inflate to (all its parts
// together; a sheet of about a million price lines). excelize's default is
// 16 GB, and parts other than sheets are inflated into memory, so a small
// zip bomb would exhaust it. Larger histories go as CSV.
const maxXLSXUnzip = 256 << 20

func openXLSX(r io.Reader) (*xlsxSource, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxXLSXUnzip, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, err
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxSource{f: f, rows: rows, dateCol: -1}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	return x, nil
}

func (x *xlsxSource) next() ([]string, int, error) {
	for x.rows.Next() {
		x.line++ // Next moves one sheet row, present in the file or not
		rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, x.line, err
		}
		if blank(rec) {
			continue
		}
		if x.dateCol >= 0 && x.dateCol < len(rec) {
			rec[x.dateCol] = x.day(rec[x.dateCol])
		}
		return rec, x.line, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, x.line, err
	}
	return nil, x.line + 1, io.EOF
}

// day turns a spreadsheet date serial (45300) into YYYY-MM-DD; text
// cells ("2024-01-15") are left for the importer to check.
func (x *xlsxSource) day(v string) string {
	serial, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || serial < 1 || serial > 2958465 { // 9999-12-31
		return v
	}
	t, err := excelize.ExcelDateToTime(serial, x.date1904)
	if err != nil {
		return v
	}
	return t.Format("2006-01-02")
}

func (x *xlsxSource) close() {
	_ = x.rows.Close()
	_ = x.f.Close()
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
