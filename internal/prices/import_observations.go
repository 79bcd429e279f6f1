package prices

import (
	"context"
	"database/sql"
)

// observationColumns are the columns a bulk write of observations fills.
var observationColumns = []string{"day", "market_id", "commodity_id", "trader_id", "price", "status", "source", "created_at"}

// importObservations reads and checks the whole file first; a file with
// any bad line writes nothing. Then it inserts the rows and writes their
// aggregates (see writeImportAggregates) in the caller's transaction.
func (s *Store) importObservations(ctx context.Context, tx *sql.Tx, bw *bulkWriter, f *table, res *ImportResult) error {
	markets, err := codeIDs(ctx, tx, `SELECT code, id FROM price_markets`)
	if err != nil {
		return err
	}
	commodities, err := codeIDs(ctx, tx, `SELECT code, id FROM price_commodities`)
	if err != nil {
		return err
	}
	p := newObsParser(markets, commodities, s.today())
	p.readObservations(f, res)
	file := &p.file
	if len(res.Errors) > 0 || len(file.rows) == 0 {
		return nil
	}
	file.sortDays()
	cells, err := buildCells(file)
	if err != nil {
		return err
	}
	traders := make([]int64, len(file.traders))
	for i, t := range file.traders {
		if traders[i], err = s.traderID(ctx, tx, t.market, t.name); err != nil {
			return err
		}
	}
	// Locked before the existing observations are looked at, so that
	// on PostgreSQL a concurrent entry of the same commodities either
	// committed before (and is seen) or refreshes its own cells after
	// this transaction commits (see lockCommodities).
	if err := s.lockCommodities(ctx, tx, cells.commodities); err != nil {
		return err
	}
	existing, err := existingMonths(ctx, tx, cells)
	if err != nil {
		return err
	}
	// Every value but the price is boxed once (see writeImportAggregates).
	days, traderIDs := boxed(file.days), boxed(traders)
	ids := map[int64]any{}
	for _, id := range append(append([]int64{}, cells.markets...), cells.commodities...) {
		ids[id] = id
	}
	status, source, createdAt := any(StatusApproved), any(SourceImport), any(s.now())
	err = bw.writeRows("price_observations", observationColumns, len(file.rows), func(i int, v []any) {
		r := &file.rows[i]
		v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = days[r.day], ids[r.market], ids[r.commodity], nil, r.price, status, source, createdAt
		if r.trader >= 0 {
			v[3] = traderIDs[r.trader]
		}
	})
	if err != nil {
		return err
	}
	res.Created = len(file.rows)
	if err := writeImportAggregates(ctx, tx, bw, cells, existing); err != nil {
		return err
	}
	if err := s.markDirty(ctx, tx, cells.commodities); err != nil {
		return err
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return err
	}
	return s.enqueueAlerts(ctx, tx)
}
