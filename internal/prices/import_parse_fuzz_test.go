package prices

import (
	"bytes"
	"math"
	"testing"
)

// FuzzParseObservations feeds arbitrary files to the observations
// parser (CSV reading, header and line checks). It must never panic,
// must report lines within the file, and a file it accepts must yield
// only rows that are valid: a real day not after today, a known market
// and commodity, a price in range; days sorted and cells built from them
// must cover every row.
//
//	go test -run '^$' -fuzz FuzzParseObservations -fuzztime 1m ./internal/prices/
func FuzzParseObservations(f *testing.F) {
	for _, seed := range []string{
		"date,market_code,commodity_code,price,trader\n2025-01-02,m1,c1,15000,Lapak 1\n2025-01-02,m2,c1,\"15000,5\",\n",
		"DATE , Market_Code,commodity_code,price,\n2024-02-29,m1,c2,1e3,\n\n2024-02-30,m1,c2,10,\n",
		"\ufeffdate,market_code,commodity_code,price\n2030-01-01,m1,c1,1\n2025-13-01,m1,c1,1\n",
		"date,market_code,commodity_code,price\n2025-01-01,m9,c9,-1\n2025-01-01,m1,c1,NaN\n2025-01-01,m1,c1,1e10\n",
		"date,market_code,commodity_code,price,trader\n\"2025-01-01\",m1,c1,\"12\"\"3\",x\n2025-01-01,m1\n",
		"date,market_code\n2025-01-01,m1\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	markets := map[string]int64{"m1": 7, "m2": 3}
	commodities := map[string]int64{"c1": 11, "c2": 2}
	const today = "2026-01-31"
	cols := importColumns[ImportObservations]
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, xlsxMagic) {
			t.Skip("XLSX is excelize's parser, not this one")
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		tbl, herr := openTable(bytes.NewReader(data), cols.required, cols.optional)
		if herr != nil {
			if herr.Line != 1 || herr.Key == "" {
				t.Fatalf("header error %+v", herr)
			}
			return
		}
		defer tbl.close()
		var res ImportResult
		p := newObsParser(markets, commodities, today)
		p.readObservations(tbl, &res)
		if len(res.Errors) > maxImportErrors {
			t.Fatalf("%d errors reported", len(res.Errors))
		}
		for _, e := range res.Errors {
			if e.Line < 2 || e.Line > lines+1 || e.Key == "" {
				t.Fatalf("error %+v outside the file's %d lines", e, lines)
			}
		}
		if len(res.Errors) > 0 {
			return
		}
		file := &p.file
		if len(file.rows) > res.Rows {
			t.Fatalf("%d rows from %d lines", len(file.rows), res.Rows)
		}
		for _, r := range file.rows {
			d := file.days[r.day]
			switch {
			case !validDay(d) || d > today:
				t.Fatalf("accepted day %q", d)
			case r.market != 7 && r.market != 3, r.commodity != 11 && r.commodity != 2:
				t.Fatalf("accepted row %+v", r)
			case !(r.price > 0) || r.price > maxPrice || math.IsInf(r.price, 0):
				t.Fatalf("accepted price %v", r.price)
			case r.trader < -1 || int(r.trader) >= len(file.traders):
				t.Fatalf("trader index %d of %d", r.trader, len(file.traders))
			}
		}
		if len(file.rows) == 0 {
			return
		}
		file.sortDays()
		cells, err := buildCells(file)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for i, c := range cells.dayMarket.cells {
			n += c.N
			if i > 0 && cells.dayMarket.keys[i-1] >= cells.dayMarket.keys[i] {
				t.Fatal("day cells out of order")
			}
		}
		for _, l := range []cellList{cells.dayCity, cells.monthMarket, cells.monthCity} {
			var m int64
			for _, c := range l.cells {
				m += c.N
			}
			if m != n {
				t.Fatalf("cells count %d and %d prices", m, n)
			}
		}
		if n != int64(len(file.rows)) {
			t.Fatalf("cells count %d prices of %d rows", n, len(file.rows))
		}
		for i := 1; i < len(file.rows); i++ {
			a, b := file.rows[i-1], file.rows[i]
			if a.commodity > b.commodity || a.commodity == b.commodity && a.day > b.day {
				t.Fatalf("rows out of cell order: %+v then %+v", a, b)
			}
		}
	})
}
