package prices

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// PricePoint is a city or market price on a day.
type PricePoint struct {
	Day   string
	Price float64
}

// Change compares a price with an earlier one.
type Change struct {
	PricePoint
	Pct float64
}

// BoardRow is one commodity on the price board.
type BoardRow struct {
	Commodity Commodity
	// Current is the newest city price on or before the board's day
	// (within staleAfter days); nil when there is none.
	Current *PricePoint
	// Previous is the price on the latest earlier day, Week the latest on
	// or before a week earlier, Month the latest on or before a month
	// earlier (each compared with Current).
	Previous, Week, Month *Change
	Reference             *Reference
	AboveReference        bool
	// Markets holds each market's price of the board's day (a market
	// that has not reported that day has none).
	Markets map[int64]PricePoint
}

// Board is the public price board of a day.
type Board struct {
	Day     string // the newest day with prices on or before the asked day
	Markets []Market
	Rows    []BoardRow
}

// staleAfter: a commodity not observed for a week has no current price
// on the board (its last price is history, not today's price).
const staleAfter = 7

// monthBefore is the same day a month earlier (clamped by time.AddDate's
// normalisation, which is what "a month ago" means for 31 March too).
func monthBefore(day string) string {
	t, _ := time.Parse(database.DateLayout, day)
	return t.AddDate(0, -1, 0).Format(database.DateLayout)
}

// Board builds the price board for day ("" for today). Whatever the
// history, it reads few rows: the city's daily aggregates for the
// fortnight up to the board's day and the week up to a month earlier (the
// days every comparison falls in when prices are collected at least
// weekly), and the markets' aggregates of the board's day. A commodity
// whose comparison day lies outside those windows (collected rarely, or
// not lately) costs one more indexed lookup.
func (s *Store) Board(ctx context.Context, day string) (Board, error) {
	if day == "" {
		day = s.today()
	}
	// The version is read before the board is built: a change landing in
	// between caches a newer board under the older version, which the
	// next request, seeing the new version, simply builds again.
	var version int64
	if err := s.db.QueryRowContext(ctx, `SELECT version FROM price_state WHERE id = 1`).Scan(&version); err != nil {
		return Board{}, err
	}
	if b, ok := s.boards.get(version, day); ok {
		return b, nil
	}
	b, err := s.buildBoard(ctx, day)
	if err == nil {
		s.boards.put(version, day, b)
	}
	return b, err
}

// boardCache keeps the boards built since the last change of what they
// show (price_state.version): the most read public page then costs one
// read of a counter while nothing changes. Every change, by any process
// sharing the database, bumps the counter. Boards are shared: callers
// must not modify them.
type boardCache struct {
	mu      sync.Mutex
	version int64
	boards  map[string]Board
}

// maxCachedBoards bounds the days kept (visitors may ask for any date).
const maxCachedBoards = 32

func (c *boardCache) get(version int64, day string) (Board, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.boards[day]
	return b, ok && c.version == version
}

func (c *boardCache) put(version int64, day string, b Board) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || len(c.boards) >= maxCachedBoards {
		c.version, c.boards = version, map[string]Board{}
	}
	c.boards[day] = b
}

// buildBoard reads a board from the aggregates.
func (s *Store) buildBoard(ctx context.Context, day string) (Board, error) {
	var b Board
	var latest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(day) FROM price_day_city WHERE day <= $1`, day).Scan(&latest); err != nil {
		return b, err
	}
	comms, err := s.Commodities(ctx, true)
	if err != nil {
		return b, err
	}
	if b.Markets, err = s.Markets(ctx, true); err != nil {
		return b, err
	}
	if !latest.Valid {
		b.Day = day
		for _, c := range comms {
			b.Rows = append(b.Rows, BoardRow{Commodity: c})
		}
		return b, nil
	}
	b.Day = latest.String
	refs, err := s.References(ctx)
	if err != nil {
		return b, err
	}
	// Two windows of consecutive days: [recent, board day] and
	// [monthAgo − 7, monthAgo]. A point found inside a window is the
	// latest on or before a target day in it; outside, a lookup decides.
	windows := [][2]string{{addDays(b.Day, -14), b.Day}, {addDays(monthBefore(b.Day), -7), monthBefore(b.Day)}}
	if len(comms) == 0 {
		return b, nil // (and "IN ()" is not PostgreSQL)
	}
	ids := make([]int64, len(comms))
	for i, c := range comms {
		ids[i] = c.ID
	}
	// Both tables are read by commodity, then day: their primary key's
	// order, in which every writer inserts, so that one commodity's days
	// (and markets) lie together on a few pages. Read by day instead (the
	// city's day index) the same rows lie on a page per commodity each,
	// which made the first board after a change read thousands of pages.
	// The older window first: points come out ascending by day.
	city := map[int64][]marketPoint{}
	for _, w := range [][2]string{windows[1], windows[0]} {
		part, err := s.dayCells(ctx, `SELECT commodity_id, day, 0, sum_log, n, min_price, max_price FROM price_day_city
			WHERE commodity_id IN (`+idList(ids)+`) AND day >= $1 AND day <= $2`, w[0], w[1])
		if err != nil {
			return b, err
		}
		for id, pts := range part {
			city[id] = append(city[id], pts...)
		}
	}
	markets, err := s.dayCells(ctx, `SELECT commodity_id, day, market_id, sum_log, n, min_price, max_price FROM price_day_market
		WHERE commodity_id IN (`+idList(ids)+`) AND day = $1`, b.Day)
	if err != nil {
		return b, err
	}
	for _, c := range comms {
		row := BoardRow{Commodity: c, Markets: map[int64]PricePoint{}}
		pts := city[c.ID] // ascending by day
		if n := len(pts); n > 0 && pts[n-1].Day >= addDays(b.Day, -staleAfter) {
			cur := pts[n-1].PricePoint
			row.Current = &cur
			for _, cmp := range []struct {
				dst    **Change
				target string
			}{{&row.Previous, addDays(cur.Day, -1)}, {&row.Week, addDays(cur.Day, -7)}, {&row.Month, monthBefore(cur.Day)}} {
				p, err := s.latestOnOrBefore(ctx, c.ID, pts, windows, cmp.target)
				if err != nil {
					return b, err
				}
				if p != nil {
					*cmp.dst = &Change{PricePoint: *p, Pct: (cur.Price/p.Price - 1) * 100}
				}
			}
			if r, ok := referenceOn(refs[c.ID], cur.Day); ok {
				row.Reference = &r
				row.AboveReference = cur.Price > r.Price
			}
		}
		for _, p := range markets[c.ID] {
			row.Markets[p.market] = p.PricePoint
		}
		b.Rows = append(b.Rows, row)
	}
	return b, nil
}

// latestOnOrBefore finds a commodity's latest city price on or before
// target: among the loaded points when target lies in a loaded window and
// a point of that window precedes it, else by an indexed lookup.
func (s *Store) latestOnOrBefore(ctx context.Context, commodityID int64, pts []marketPoint, windows [][2]string, target string) (*PricePoint, error) {
	for _, w := range windows {
		if target < w[0] || target > w[1] {
			continue
		}
		for i := len(pts) - 1; i >= 0; i-- {
			if pts[i].Day <= target && pts[i].Day >= w[0] {
				return &pts[i].PricePoint, nil
			}
		}
	}
	var p PricePoint
	var c cell
	err := s.db.QueryRowContext(ctx, `SELECT day, sum_log, n, min_price, max_price FROM price_day_city
		WHERE commodity_id = $1 AND day <= $2 ORDER BY day DESC LIMIT 1`, commodityID, target).Scan(&p.Day, &c.SumLog, &c.N, &c.Min, &c.Max)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.Price, _ = c.mean()
	return &p, nil
}

type marketPoint struct {
	PricePoint
	market int64
}

// dayCells reads aggregate rows (commodity, day, market, cell) into
// geometric means per commodity, ascending by day.
func (s *Store) dayCells(ctx context.Context, query string, args ...any) (map[int64][]marketPoint, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]marketPoint{}
	for rows.Next() {
		var id int64
		var p marketPoint
		var c cell
		if err := rows.Scan(&id, &p.Day, &p.market, &c.SumLog, &c.N, &c.Min, &c.Max); err != nil {
			return nil, err
		}
		if p.Price, _ = c.mean(); p.Price > 0 {
			out[id] = append(out[id], p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, pts := range out {
		sort.Slice(pts, func(i, j int) bool { return pts[i].Day < pts[j].Day })
	}
	return out, nil
}

// Series is a commodity's price over time, city and per market, aligned
// on one axis of periods for a chart (nil where a series has no price).
type Series struct {
	Commodity   Commodity
	Granularity string // "day" or "month"
	Periods     []string
	City        []*float64
	Markets     []MarketSeries
	// Reference is the HET/HAP valid in each period (nil where none).
	Reference []*float64
	RefKinds  []string
}

// MarketSeries is one market's line.
type MarketSeries struct {
	Market Market
	Values []*float64
}

// maxDailySpan: longer ranges are drawn by month, which keeps a ten-year
// chart at 120 points per line on a phone's data plan.
const maxDailySpan = 400

// PriceSeries returns the commodity's series between two days;
// granularity "" chooses by the span.
func (s *Store) PriceSeries(ctx context.Context, code, from, to, granularity string) (Series, error) {
	var out Series
	c, err := s.CommodityByCode(ctx, code)
	if err != nil {
		return out, err
	}
	out.Commodity = c
	if granularity == "" {
		granularity = "day"
		f, _ := parseDay(from)
		t, _ := parseDay(to)
		if t.Sub(f) > maxDailySpan*24*time.Hour {
			granularity = "month"
		}
	}
	out.Granularity = granularity
	var cityQ, marketQ string
	lo, hi := from, to
	if granularity == "month" {
		lo, hi = from[:7], to[:7]
		cityQ = `SELECT month, 0, sum_log, n, min_price, max_price FROM price_month_city WHERE commodity_id = $1 AND month >= $2 AND month <= $3`
		marketQ = `SELECT month, market_id, sum_log, n, min_price, max_price FROM price_month_market WHERE commodity_id = $1 AND month >= $2 AND month <= $3`
	} else {
		cityQ = `SELECT day, 0, sum_log, n, min_price, max_price FROM price_day_city WHERE commodity_id = $1 AND day >= $2 AND day <= $3`
		marketQ = `SELECT day, market_id, sum_log, n, min_price, max_price FROM price_day_market WHERE commodity_id = $1 AND day >= $2 AND day <= $3`
	}
	city, err := s.periodCells(ctx, cityQ, c.ID, lo, hi)
	if err != nil {
		return out, err
	}
	byMarket, err := s.periodCells(ctx, marketQ, c.ID, lo, hi)
	if err != nil {
		return out, err
	}
	periods := map[string]bool{}
	for _, m := range []map[string]map[int64]float64{city, byMarket} {
		for p := range m {
			periods[p] = true
		}
	}
	for p := range periods {
		out.Periods = append(out.Periods, p)
	}
	sort.Strings(out.Periods)
	markets, err := s.Markets(ctx, false)
	if err != nil {
		return out, err
	}
	refs, err := s.References(ctx)
	if err != nil {
		return out, err
	}
	pos := map[int64]int{}
	for _, m := range markets {
		pos[m.ID] = len(out.Markets)
		out.Markets = append(out.Markets, MarketSeries{Market: m, Values: make([]*float64, len(out.Periods))})
	}
	out.City = make([]*float64, len(out.Periods))
	out.Reference = make([]*float64, len(out.Periods))
	out.RefKinds = make([]string, len(out.Periods))
	for i, p := range out.Periods {
		if v, ok := city[p][0]; ok {
			out.City[i] = &v
		}
		for id, v := range byMarket[p] {
			if j, ok := pos[id]; ok {
				out.Markets[j].Values[i] = &v
			}
		}
		day := p
		if granularity == "month" {
			day = p + "-15" // the middle of the month stands for it
		}
		if r, ok := referenceOn(refs[c.ID], day); ok {
			v := r.Price
			out.Reference[i], out.RefKinds[i] = &v, r.Kind
		}
	}
	// Markets without a single price in the range are left out.
	kept := out.Markets[:0]
	for _, ms := range out.Markets {
		for _, v := range ms.Values {
			if v != nil {
				kept = append(kept, ms)
				break
			}
		}
	}
	out.Markets = kept
	return out, nil
}

// periodCells reads (period, market, cell) rows into means by period and
// market (market 0 for the city).
func (s *Store) periodCells(ctx context.Context, query string, args ...any) (map[string]map[int64]float64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[int64]float64{}
	for rows.Next() {
		var p string
		var market int64
		var c cell
		if err := rows.Scan(&p, &market, &c.SumLog, &c.N, &c.Min, &c.Max); err != nil {
			return nil, err
		}
		v, ok := c.mean()
		if !ok {
			continue
		}
		if out[p] == nil {
			out[p] = map[int64]float64{}
		}
		out[p][market] = v
	}
	return out, rows.Err()
}

// DisparityRow is a commodity's spread between markets.
type DisparityRow struct {
	Commodity Commodity
	Prices    map[int64]PricePoint
	Min, Max  PricePoint
	MinMarket int64
	MaxMarket int64
	SpreadPct float64 // (max − min) / min × 100
	CVPct     float64 // coefficient of variation across markets
}

// Disparity compares the markets' prices of the board's day, widest
// spread first. Commodities priced in fewer than two markets are left
// out.
func (s *Store) Disparity(ctx context.Context, day string) (Board, []DisparityRow, error) {
	b, err := s.Board(ctx, day)
	if err != nil {
		return b, nil, err
	}
	var out []DisparityRow
	for _, r := range b.Rows {
		if len(r.Markets) < 2 {
			continue
		}
		d := DisparityRow{Commodity: r.Commodity, Prices: r.Markets}
		var sum, sumSq float64
		first := true
		for id, p := range r.Markets {
			if first || p.Price < d.Min.Price || p.Price == d.Min.Price && id < d.MinMarket {
				d.Min, d.MinMarket = p, id
			}
			if first || p.Price > d.Max.Price || p.Price == d.Max.Price && id < d.MaxMarket {
				d.Max, d.MaxMarket = p, id
			}
			first = false
			sum += p.Price
			sumSq += p.Price * p.Price
		}
		n := float64(len(r.Markets))
		mean := sum / n
		d.SpreadPct = (d.Max.Price/d.Min.Price - 1) * 100
		d.CVPct = math.Sqrt(math.Max(sumSq/n-mean*mean, 0)) / mean * 100
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SpreadPct > out[j].SpreadPct })
	return b, out, nil
}
