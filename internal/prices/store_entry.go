package prices

import (
	"context"
	"sort"
)

// EntryRef is what an enumerator's form shows next to a commodity: the
// previous price per trader and for the market, and the median of the
// markets, which the phone also uses to ask for a reason before sending.
type EntryRef struct {
	ByTrader map[int64]float64
	Market   *float64
	LastDay  string
	Median   *float64
}

// EntryRefs returns, per commodity id, the references for a market's form
// on day: the prices of the market's latest earlier observation day
// (per trader, and their geometric mean), and the median of the markets.
func (s *Store) EntryRefs(ctx context.Context, marketID int64, day string, commodities []int64) (map[int64]*EntryRef, error) {
	out := map[int64]*EntryRef{}
	if len(commodities) == 0 {
		return out, nil
	}
	ref := func(id int64) *EntryRef {
		if out[id] == nil {
			out[id] = &EntryRef{ByTrader: map[int64]float64{}}
		}
		return out[id]
	}
	// The latest earlier day per commodity comes from the daily
	// aggregates (a backward index scan per commodity), then that day's
	// observations by exact key.
	rows, err := s.db.QueryContext(ctx, `SELECT o.commodity_id, o.day, o.trader_id, o.price
		FROM price_observations o JOIN (
			SELECT c.id AS cid, (SELECT d.day FROM price_day_market d WHERE d.commodity_id = c.id AND d.market_id = $1 AND d.day < $2
				AND d.day >= $3 ORDER BY d.day DESC LIMIT 1) AS last_day
			FROM price_commodities c WHERE c.id IN (`+idList(commodities)+`)) l ON o.commodity_id = l.cid AND o.day = l.last_day
		WHERE o.market_id = $1 AND o.status <> 'rejected' ORDER BY o.id`, marketID, day, addDays(day, -previousLookback))
	if err != nil {
		return nil, err
	}
	cells := map[int64]*cell{}
	for rows.Next() {
		var id int64
		var d string
		var trader *int64
		var p float64
		if err := rows.Scan(&id, &d, &trader, &p); err != nil {
			rows.Close()
			return nil, err
		}
		r := ref(id)
		r.LastDay = d
		if trader != nil {
			r.ByTrader[*trader] = p // ordered by id: the latest wins
		}
		if cells[id] == nil {
			cells[id] = &cell{}
		}
		cells[id].add(cellOf(p))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, c := range cells {
		if g, ok := c.mean(); ok {
			ref(id).Market = &g
		}
	}
	// Each market's newest price within the week, for the median.
	latest, err := s.dayCells(ctx, `SELECT commodity_id, day, market_id, sum_log, n, min_price, max_price FROM price_day_market
		WHERE commodity_id IN (`+idList(commodities)+`) AND day >= $1 AND day <= $2`, addDays(day, -medianWindow), day)
	if err != nil {
		return nil, err
	}
	for id, pts := range latest {
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].Day < pts[j].Day })
		byMarket := map[int64]float64{}
		for _, p := range pts {
			byMarket[p.market] = p.Price
		}
		ref(id).Median = median(byMarket)
	}
	return out, nil
}
