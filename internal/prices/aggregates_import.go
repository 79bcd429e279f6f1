package prices

import (
	"context"
	"database/sql"
)

// monthSpan is, per commodity of an import, the months that held
// observations before it: from first to last ("" when none).
type monthSpan struct{ first, last string }

func (m monthSpan) holds(month string) bool {
	return m.first != "" && month >= m.first && month <= m.last
}

// commodityRange is the days and months one commodity has in a file.
type commodityRange struct{ from, to string }

func (r commodityRange) months() (string, string) { return r.from[:7], r.to[:7] }

// ranges returns each commodity's first and last day in the file, by rank.
func (b *builtCells) ranges() []commodityRange {
	out := make([]commodityRange, len(b.commodities))
	for _, k := range b.dayCity.keys {
		c, d, _ := unpackKey(k)
		if out[c].from == "" {
			out[c].from = b.days[d]
		}
		out[c].to = b.days[d] // keys are in day order
	}
	return out
}

// existingMonths finds, before the import's rows are inserted, which of
// each commodity's months in the file's range already have observations
// that count (not rejected). Only those need their aggregates rebuilt
// from the database; the others' cells are exactly the file's.
func existingMonths(ctx context.Context, tx *sql.Tx, b *builtCells) ([]monthSpan, error) {
	out := make([]monthSpan, len(b.commodities))
	stmt, err := tx.PrepareContext(ctx, `SELECT DISTINCT substr(day, 1, 7) FROM price_observations
		WHERE commodity_id = $1 AND day >= $2 AND day <= $3 AND status <> 'rejected'`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	for c, r := range b.ranges() {
		mFrom, mTo := r.months()
		rows, err := stmt.QueryContext(ctx, b.commodities[c], mFrom+"-01", mTo+"-31")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var m string
			if err := rows.Scan(&m); err != nil {
				rows.Close()
				return nil, err
			}
			if out[c].first == "" || m < out[c].first {
				out[c].first = m
			}
			out[c].last = max(out[c].last, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Aggregate table columns, in the order the cells are written.
var (
	dayMarketColumns   = []string{"commodity_id", "day", "market_id", "sum_log", "n", "min_price", "max_price"}
	dayCityColumns     = []string{"commodity_id", "day", "sum_log", "n", "min_price", "max_price"}
	monthMarketColumns = []string{"commodity_id", "month", "market_id", "sum_log", "n", "min_price", "max_price"}
	monthCityColumns   = []string{"commodity_id", "month", "sum_log", "n", "min_price", "max_price"}
)

// writeImportAggregates replaces the aggregates of the imported
// commodities over each one's range of days (and months), leaving them
// as refreshAggregates would: a commodity's months that held no
// observation before get the cells built in Go; where some did (the span
// from the first to the last such month), the cells are rebuilt from the
// observations by refreshAggregates, as for every other write.
func writeImportAggregates(ctx context.Context, tx *sql.Tx, bw *bulkWriter, b *builtCells, existing []monthSpan) error {
	ranges := b.ranges()
	// Commodities sharing a range are cleared together.
	byRange := map[commodityRange][]int64{}
	var order []commodityRange
	for c, r := range ranges {
		if byRange[r] == nil {
			order = append(order, r)
		}
		byRange[r] = append(byRange[r], b.commodities[c])
	}
	for _, r := range order {
		in := `commodity_id IN (` + idList(byRange[r]) + `)`
		mFrom, mTo := r.months()
		for _, st := range []struct {
			query    string
			from, to string
		}{
			{`DELETE FROM price_day_market WHERE ` + in + ` AND day >= $1 AND day <= $2`, r.from, r.to},
			{`DELETE FROM price_day_city WHERE ` + in + ` AND day >= $1 AND day <= $2`, r.from, r.to},
			{`DELETE FROM price_month_market WHERE ` + in + ` AND month >= $1 AND month <= $2`, mFrom, mTo},
			{`DELETE FROM price_month_city WHERE ` + in + ` AND month >= $1 AND month <= $2`, mFrom, mTo},
		} {
			if _, err := tx.ExecContext(ctx, st.query, st.from, st.to); err != nil {
				return err
			}
		}
	}

	// Each table's period column (a day or a month) and the month it
	// falls in, which decides whether the Go cell is the right one.
	// Values are boxed once per commodity, market and period, not once
	// per row: hundreds of thousands fewer allocations to collect.
	dayMonth := func(d int) string { return b.months[b.monthOf[d]] }
	month := func(m int) string { return b.months[m] }
	commodities, markets := boxed(b.commodities), boxed(b.markets)
	days, months := boxed(b.days), boxed(b.months)
	for _, t := range []struct {
		table     string
		cols      []string
		cells     cellList
		periods   []any
		in        func(int) string
		perMarket bool
	}{
		{"price_day_market", dayMarketColumns, b.dayMarket, days, dayMonth, true},
		{"price_day_city", dayCityColumns, b.dayCity, days, dayMonth, false},
		{"price_month_market", monthMarketColumns, b.monthMarket, months, month, true},
		{"price_month_city", monthCityColumns, b.monthCity, months, month, false},
	} {
		l := t.cells
		keep := l.keep(func(c, period int) bool { return !existing[c].holds(t.in(period)) })
		err := bw.writeRows(t.table, t.cols, len(keep), func(i int, v []any) {
			c, period, m := unpackKey(l.keys[keep[i]])
			x := l.cells[keep[i]]
			v[0], v[1] = commodities[c], t.periods[period]
			rest := v[2:]
			if t.perMarket {
				rest[0], rest = markets[m], rest[1:]
			}
			rest[0], rest[1], rest[2], rest[3] = x.SumLog, x.N, x.Min, x.Max
		})
		if err != nil {
			return err
		}
	}

	// The spans that held observations, rebuilt from the database.
	spans := map[commodityRange][]int64{}
	var spanOrder []commodityRange
	for c, e := range existing {
		if e.first == "" {
			continue
		}
		r := commodityRange{from: max(ranges[c].from, e.first+"-01"), to: min(ranges[c].to, e.last+"-31")}
		if spans[r] == nil {
			spanOrder = append(spanOrder, r)
		}
		spans[r] = append(spans[r], b.commodities[c])
	}
	for _, r := range spanOrder {
		if err := refreshAggregates(ctx, tx, spans[r], r.from, r.to); err != nil {
			return err
		}
	}
	return nil
}

// keep lists the positions of the cells whose (commodity, period) pass.
func (l cellList) keep(pass func(commodity, period int) bool) []int {
	out := make([]int, 0, len(l.keys))
	for i, k := range l.keys {
		c, p, _ := unpackKey(k)
		if pass(c, p) {
			out = append(out, i)
		}
	}
	return out
}

// boxed converts values to interfaces once, for writes that bind the same
// values many times.
func boxed[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
