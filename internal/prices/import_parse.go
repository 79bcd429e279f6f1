package prices

import (
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// obsRow is one valid line of an observations file. Days and traders are
// indexes into the file's tables: a file of a million lines names a few
// thousand days and a few dozen traders.
type obsRow struct {
	price     float64
	market    int64
	commodity int64
	day       int32 // into obsFile.days
	trader    int32 // into obsFile.traders; -1: none
}

// traderRef is a trader named in a file, spelled as first seen.
type traderRef struct {
	market int64
	name   string
}

// obsFile is an observations file read and checked whole, before anything
// is written: a bad line anywhere refuses the file, so nothing is
// inserted only to be rolled back, and the aggregates of the rows can be
// built in Go from memory (see aggregates_build.go).
type obsFile struct {
	rows    []obsRow
	days    []string // distinct days; sorted by sortDays
	traders []traderRef
}

// obsParser checks lines against the reference data. It touches no
// database, so it can be fuzzed.
type obsParser struct {
	markets, commodities map[string]int64
	today                string
	dayIdx               map[string]int32
	traderIdx            map[traderRef]int32 // name lower-cased
	file                 obsFile
}

func newObsParser(markets, commodities map[string]int64, today string) *obsParser {
	return &obsParser{markets: markets, commodities: commodities, today: today,
		dayIdx: map[string]int32{}, traderIdx: map[traderRef]int32{}}
}

// readObservations reads every line of f. Each valid line becomes a row;
// each invalid one an error in res. After the first bad line rows are no
// longer kept (the file will be refused), only checked, so the report
// lists every bad line up to maxImportErrors.
func (p *obsParser) readObservations(f *table, res *ImportResult) {
	iDay, iMarket, iCommodity, iPrice := f.col["date"], f.col["market_code"], f.col["commodity_code"], f.col["price"]
	iTrader, hasTrader := f.col["trader"]
	cell := func(rec []string, i int) string {
		if i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for {
		rec, line, err := f.next()
		if err == io.EOF {
			return
		}
		res.Rows++
		if err != nil {
			if !res.addError(line, "prices.import.csv", csvMessage(err)) {
				return
			}
			continue
		}
		trader := ""
		if hasTrader {
			trader = cell(rec, iTrader)
		}
		key, args := p.add(cell(rec, iDay), cell(rec, iMarket), cell(rec, iCommodity), cell(rec, iPrice), trader, len(res.Errors) == 0)
		if key != "" && !res.addError(line, key, args...) {
			return
		}
	}
}

// add checks one line and, when keep is set and the line is valid, keeps
// it as a row. It returns the catalog key and arguments of the problem,
// or "" for a valid line.
func (p *obsParser) add(day, mcode, ccode, raw, trader string, keep bool) (string, []any) {
	di, ok := p.dayIdx[day]
	if !ok {
		switch {
		case !validDay(day):
			return "prices.import.bad_date", []any{day}
		case day > p.today:
			return "prices.import.future_date", []any{day}
		}
		di = int32(len(p.file.days))
		p.file.days = append(p.file.days, day)
		p.dayIdx[day] = di
	}
	market, ok := p.markets[mcode]
	if !ok {
		return "prices.import.unknown_market", []any{mcode}
	}
	commodity, ok := p.commodities[ccode]
	if !ok {
		return "prices.import.unknown_commodity", []any{ccode}
	}
	price, ok := parseNumber(raw)
	if !ok {
		return "prices.import.bad_price", []any{raw}
	}
	if !(price > 0) || price > maxPrice {
		return "prices.import.price_range", []any{raw}
	}
	if utf8.RuneCountInString(trader) > maxTraderName {
		return "prices.import.bad_trader", []any{maxTraderName}
	}
	if !keep {
		return "", nil
	}
	ti := int32(-1)
	if trader != "" {
		k := traderRef{market: market, name: strings.ToLower(trader)}
		var ok bool
		if ti, ok = p.traderIdx[k]; !ok {
			ti = int32(len(p.file.traders))
			p.file.traders = append(p.file.traders, traderRef{market: market, name: trader})
			p.traderIdx[k] = ti
		}
	}
	p.file.rows = append(p.file.rows, obsRow{price: price, market: market, commodity: commodity, day: di, trader: ti})
	return "", nil
}

// sortDays puts the file's days in calendar order (YYYY-MM-DD sorts as a
// string) and renumbers the rows, so that a day index compares as its day.
func (f *obsFile) sortDays() {
	order := make([]int32, len(f.days))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(f.days[a], f.days[b]) })
	rank := make([]int32, len(f.days))
	sorted := make([]string, len(f.days))
	for r, old := range order {
		rank[old] = int32(r)
		sorted[r] = f.days[old]
	}
	f.days = sorted
	for i := range f.rows {
		f.rows[i].day = rank[f.rows[i].day]
	}
}
