package prices

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// The aggregate tables hold, per commodity and day (and month), per market
// and for the whole city, Σ ln(price), the count and the extremes of the
// observations that are not rejected. A geometric mean of any of these
// cells, or of several cells together, is exp(Σ ln / Σ n): the sums add,
// so the city's monthly price (BPS: the geometric mean of every
// observation of the month, over markets, traders and days) needs one row,
// not a scan of the month's observations.
//
// They are rebuilt from the observations, never adjusted by increments: a
// correction or rejection recomputes its cells exactly, with no drift
// from adding and subtracting logarithms, and the same statements serve a
// single entry and a ten-year import.

// refreshAggregates recomputes the aggregates of the given commodities for
// the days from..to (YYYY-MM-DD, inclusive) and the months containing
// them. SQLite (modernc, built with the math functions) and PostgreSQL
// both have ln(). The daily groupings follow the indexes' order (no sort);
// the monthly ones are made from the daily rows, not the observations.
func refreshAggregates(ctx context.Context, tx *sql.Tx, commodities []int64, from, to string) error {
	if len(commodities) == 0 {
		return nil
	}
	in := `commodity_id IN (` + idList(commodities) + `)`
	monthFrom, monthTo := from[:7], to[:7]
	// "YYYY-MM-31" is not always a date, but as a string it sorts after
	// every day of the month, which is all the range needs.
	dayFrom, dayTo := monthFrom+"-01", monthTo+"-31"
	steps := []struct {
		query string
		args  []any
	}{
		{`DELETE FROM price_day_market WHERE ` + in + ` AND day >= $1 AND day <= $2`, []any{from, to}},
		{`INSERT INTO price_day_market (commodity_id, day, market_id, sum_log, n, min_price, max_price)
			SELECT commodity_id, day, market_id, SUM(ln(price)), COUNT(*), MIN(price), MAX(price)
			FROM price_observations
			WHERE ` + in + ` AND day >= $1 AND day <= $2 AND status <> 'rejected'
			GROUP BY commodity_id, day, market_id`, []any{from, to}},
		{`DELETE FROM price_day_city WHERE ` + in + ` AND day >= $1 AND day <= $2`, []any{from, to}},
		{`INSERT INTO price_day_city (commodity_id, day, sum_log, n, min_price, max_price)
			SELECT commodity_id, day, SUM(sum_log), CAST(SUM(n) AS BIGINT), MIN(min_price), MAX(max_price)
			FROM price_day_market
			WHERE ` + in + ` AND day >= $1 AND day <= $2
			GROUP BY commodity_id, day`, []any{from, to}},
		{`DELETE FROM price_month_market WHERE ` + in + ` AND month >= $1 AND month <= $2`, []any{monthFrom, monthTo}},
		{`INSERT INTO price_month_market (commodity_id, month, market_id, sum_log, n, min_price, max_price)
			SELECT commodity_id, substr(day, 1, 7), market_id, SUM(sum_log), CAST(SUM(n) AS BIGINT), MIN(min_price), MAX(max_price)
			FROM price_day_market
			WHERE ` + in + ` AND day >= $1 AND day <= $2
			GROUP BY commodity_id, substr(day, 1, 7), market_id`, []any{dayFrom, dayTo}},
		{`DELETE FROM price_month_city WHERE ` + in + ` AND month >= $1 AND month <= $2`, []any{monthFrom, monthTo}},
		{`INSERT INTO price_month_city (commodity_id, month, sum_log, n, min_price, max_price)
			SELECT commodity_id, month, SUM(sum_log), CAST(SUM(n) AS BIGINT), MIN(min_price), MAX(max_price)
			FROM price_month_market
			WHERE ` + in + ` AND month >= $1 AND month <= $2
			GROUP BY commodity_id, month`, []any{monthFrom, monthTo}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// afterPriceWrite keeps everything derived from the observations in step,
// inside the writing transaction: the aggregates, the baskets' "stale"
// mark with a recomputation job each, and the early-warning check. Jobs
// carry unique keys, so a burst of entries coalesces into one run.
func (s *Store) afterPriceWrite(ctx context.Context, tx *sql.Tx, commodities []int64, from, to string) error {
	commodities = uniqueIDs(commodities)
	if err := s.lockCommodities(ctx, tx, commodities); err != nil {
		return err
	}
	if err := refreshAggregates(ctx, tx, commodities, from, to); err != nil {
		return err
	}
	if err := s.markDirty(ctx, tx, commodities); err != nil {
		return err
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return err
	}
	return s.enqueueAlerts(ctx, tx)
}

// bumpVersion tells every process's board cache that what the board
// shows has changed (see boardCache).
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE price_state SET version = version + 1 WHERE id = 1`)
	return err
}

// commodityLockBase keys the PostgreSQL advisory locks of the
// commodities' aggregates (base + commodity id), away from the platform's keys.
const commodityLockBase = 537_100_000_000

// lockCommodities serialises the refreshes of the commodities' aggregates
// between concurrent transactions.
//
// Dialect difference: on PostgreSQL two enumerators pricing the same
// commodity at the same moment would each delete and rebuild the same
// city cells, and the second insert would collide with the first. A
// transaction-scoped advisory lock per commodity, taken in id order (so
// two transactions never wait on each other crosswise), makes the second
// refresh wait for the first to commit; READ COMMITTED then lets its
// statements see the first one's prices. SQLite needs nothing: it has a
// single writer.
func (s *Store) lockCommodities(ctx context.Context, tx *sql.Tx, sortedIDs []int64) error {
	if s.db.Dialect != database.Postgres {
		return nil
	}
	for _, id := range sortedIDs {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, commodityLockBase+id); err != nil {
			return err
		}
	}
	return nil
}

// markDirty marks the baskets holding any of the commodities as stale and
// enqueues their recomputation.
func (s *Store) markDirty(ctx context.Context, tx *sql.Tx, commodities []int64) error {
	if len(commodities) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT basket_id FROM price_basket_weights WHERE commodity_id IN (`+idList(commodities)+`)`)
	if err != nil {
		return err
	}
	var baskets []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		baskets = append(baskets, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.markBasketsDirty(ctx, tx, baskets)
}

func (s *Store) markBasketsDirty(ctx context.Context, tx *sql.Tx, baskets []int64) error {
	if len(baskets) == 0 {
		return nil
	}
	// One row at a time in id order: concurrent writers lock the baskets
	// in the same order and never deadlock.
	baskets = uniqueIDs(baskets)
	for _, id := range baskets {
		if _, err := tx.ExecContext(ctx, `UPDATE price_baskets SET dirty_seq = dirty_seq + 1 WHERE id = $1`, id); err != nil {
			return err
		}
	}
	for _, id := range baskets {
		if _, err := s.d.Jobs.EnqueueTx(ctx, tx, kindRecompute, recomputePayload{BasketID: id}, jobs.UniqueKey(recomputeKey(id))); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) enqueueAlerts(ctx context.Context, tx *sql.Tx) error {
	_, err := s.d.Jobs.EnqueueTx(ctx, tx, kindAlerts, nil, jobs.UniqueKey(kindAlerts))
	return err
}

func uniqueIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// cell is one aggregate row read back: Σ ln(price), count, extremes.
type cell struct {
	SumLog   float64
	N        int64
	Min, Max float64
}

// add merges another cell, as if its observations were in this one.
func (c *cell) add(o cell) {
	if o.N == 0 {
		return
	}
	if c.N == 0 {
		c.Min, c.Max = o.Min, o.Max
	} else {
		c.Min, c.Max = math.Min(c.Min, o.Min), math.Max(c.Max, o.Max)
	}
	c.SumLog += o.SumLog
	c.N += o.N
}

// mean is the geometric mean of the cell's observations, kept within
// their extremes: equal prices give that price exactly, and rounding in
// exp(ln p) cannot leave the observed range (as index.LogAccumulator
// does for a streaming mean).
func (c cell) mean() (float64, bool) {
	if c.N == 0 {
		return 0, false
	}
	if c.Min == c.Max {
		return c.Min, true
	}
	g := math.Exp(c.SumLog / float64(c.N))
	return math.Min(math.Max(g, c.Min), c.Max), true
}

// cellOf is the cell of one observation.
func cellOf(p float64) cell { return cell{SumLog: math.Log(p), N: 1, Min: p, Max: p} }

// RefreshMonth rebuilds one month's aggregates of every commodity from
// the observations, as if all of the month's prices had just been
// written, and marks the baskets stale. Writes never need it (each keeps
// its own cells exact); it serves an operator who changed observations
// outside Sodamolek, and it is the benchmark of the heaviest per-month
// refresh.
func (s *Store) RefreshMonth(ctx context.Context, month index.Month) error {
	if !month.Valid() {
		return fmt.Errorf("prices: invalid month %v", month)
	}
	ids, err := codeIDs(ctx, s.db, `SELECT code, id FROM price_commodities`)
	if err != nil {
		return err
	}
	commodities := make([]int64, 0, len(ids))
	for _, id := range ids {
		commodities = append(commodities, id)
	}
	m := month.String()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.bulkSession(ctx, tx); err != nil {
			return err
		}
		return s.afterPriceWrite(ctx, tx, commodities, m+"-01", m+"-31")
	})
}
