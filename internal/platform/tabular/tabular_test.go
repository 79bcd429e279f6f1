package tabular

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestCSVAndXLSXHoldTheSameTable(t *testing.T) {
	tb := Table{Sheet: "LB1", Header: []string{"kode", "nama", "jumlah", "rata"}, Rows: [][]any{
		{"A09", "Diare, \"gastroenteritis\"", 12, 1.5},
		{"J06.9", "ISPA", 30, nil},
	}}
	var c bytes.Buffer
	if err := WriteCSV(&c, tb); err != nil {
		t.Fatal(err)
	}
	want := "kode,nama,jumlah,rata\nA09,\"Diare, \"\"gastroenteritis\"\"\",12,1.5\nJ06.9,ISPA,30,\n"
	if c.String() != want {
		t.Fatalf("CSV:\n%s\nwant:\n%s", c.String(), want)
	}
	var x bytes.Buffer
	if err := WriteXLSX(&x, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("LB1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][2] != "jumlah" || rows[1][1] != `Diare, "gastroenteritis"` || rows[2][2] != "30" {
		t.Fatalf("XLSX rows = %q", rows)
	}
	typ, err := f.GetCellType("LB1", "C2")
	if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a count is stored as text (%v, %v)", typ, err)
	}
	if _, ok := ParseFormat("xls"); ok {
		t.Error("xls accepted")
	}
}

func TestCSVKeepsFormulasAsText(t *testing.T) {
	tb := Table{Header: []string{"nama", "jumlah"}, Rows: [][]any{
		{`=HYPERLINK("http://contoh.invalid","klik")`, -3},
		{"+62 812", 1.5},
		{"@SUM(A1)", 0},
		{"-", nil},
		{"Oebobo", 2},
	}}
	var c bytes.Buffer
	if err := WriteCSV(&c, tb); err != nil {
		t.Fatal(err)
	}
	want := "nama,jumlah\n\"'=HYPERLINK(\"\"http://contoh.invalid\"\",\"\"klik\"\")\",-3\n'+62 812,1.5\n'@SUM(A1),0\n'-,\nOebobo,2\n"
	if c.String() != want {
		t.Fatalf("CSV:\n%s\nwant:\n%s", c.String(), want)
	}
}
