package prices

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/sodamolek/sodamolek/internal/platform/tabular"
)

// Export formats: every open-data download comes as CSV and as an XLSX
// workbook with the same columns.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)

// rowWriter streams a download's rows. Cells are strings, float64s or nil
// (empty); numbers stay numbers in a workbook, so a spreadsheet can sum
// them. The platform's tabular package holds a whole table in memory,
// which a year of a city's raw prices (a million lines) should not be, so
// the exports stream here: CSV straight to the response, XLSX through
// excelize's stream writer (which spills to a temporary file past a few
// megabytes) and out at close.
type rowWriter interface {
	write(cells ...any) error
	close() error
}

// newRowWriter sets the download headers and writes the header row.
func newRowWriter(w http.ResponseWriter, format, base, sheet string, header []string) (rowWriter, error) {
	w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.`+format+`"`)
	w.Header().Set("Cache-Control", "public, max-age=300")
	if format == formatXLSX {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		return newXLSXWriter(w, sheet, header)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := &csvRowWriter{w: csv.NewWriter(w)}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	return cw, cw.write(cells...)
}

type csvRowWriter struct {
	w   *csv.Writer
	rec []string
}

func (c *csvRowWriter) write(cells ...any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		switch v := v.(type) {
		case nil:
			c.rec = append(c.rec, "")
		case string:
			c.rec = append(c.rec, tabular.CSVText(v)) // names are typed by people
		case float64:
			c.rec = append(c.rec, num(v))
		case int:
			c.rec = append(c.rec, strconv.Itoa(v))
		default:
			c.rec = append(c.rec, fmt.Sprint(v))
		}
	}
	return c.w.Write(c.rec)
}

func (c *csvRowWriter) close() error {
	c.w.Flush()
	return c.w.Error()
}

type xlsxRowWriter struct {
	w    http.ResponseWriter
	f    *excelize.File
	sw   *excelize.StreamWriter
	line int
}

func newXLSXWriter(w http.ResponseWriter, sheet string, header []string) (*xlsxRowWriter, error) {
	f := excelize.NewFile()
	if len(sheet) > 31 {
		sheet = sheet[:31] // Excel's limit on sheet names
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxRowWriter{w: w, f: f, sw: sw}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	return x, x.setRow(head)
}

func (x *xlsxRowWriter) setRow(cells []any) error {
	x.line++
	addr, err := excelize.CoordinatesToCellName(1, x.line)
	if err != nil {
		return err
	}
	return x.sw.SetRow(addr, cells)
}

func (x *xlsxRowWriter) write(cells ...any) error {
	row := make([]any, len(cells))
	copy(row, cells)
	return x.setRow(row)
}

func (x *xlsxRowWriter) close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.w)
}
