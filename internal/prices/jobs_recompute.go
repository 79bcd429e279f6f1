package prices

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// Background job kinds.
const (
	// kindRecompute recomputes one basket's index series.
	kindRecompute = "prices.recompute"
	// kindSweep finds stale baskets and enqueues their recomputation. A
	// price written while a recomputation was already running enqueues
	// nothing (the running job holds the unique key), so without the
	// sweep that basket would wait for the next price; the API never
	// shows stale results meanwhile (IndexSeries computes them).
	kindSweep = "prices.recompute-sweep"
	// kindAlerts runs the early-warning check.
	kindAlerts = "prices.alerts"
)

type recomputePayload struct {
	BasketID int64 `json:"basket_id"`
}

func recomputeKey(id int64) string { return fmt.Sprintf("%s:%d", kindRecompute, id) }

func (s *Store) registerJobs(q *jobs.Queue) {
	q.Register(kindRecompute, jobs.Decoded(func(ctx context.Context, _ *jobs.Job, p recomputePayload) error {
		return s.Recompute(ctx, p.BasketID)
	}), jobs.WithTimeout(5*time.Minute))
	q.Register(kindSweep, func(ctx context.Context, _ *jobs.Job) error { return s.sweepStale(ctx) })
	q.Schedule(kindSweep, 10*time.Minute)
	q.Register(kindAlerts, func(ctx context.Context, _ *jobs.Job) error { return s.RunEarlyWarning(ctx) }, jobs.WithTimeout(5*time.Minute))
	// Prices arrive through the morning; an hourly check also covers a
	// reference price that starts today without any new observation.
	q.Schedule(kindAlerts, time.Hour)
}

func (s *Store) sweepStale(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM price_baskets WHERE dirty_seq <> clean_seq`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.d.Jobs.Enqueue(ctx, kindRecompute, recomputePayload{BasketID: id}, jobs.UniqueKey(recomputeKey(id))); err != nil {
			return err
		}
	}
	return nil
}

// monthlyPrices reads the city's monthly price of each basket commodity
// from the base month on: the geometric mean of all the month's
// observations (DOMAIN.md §8), from the monthly aggregates.
func (s *Store) monthlyPrices(ctx context.Context, q querier, b Basket) (index.Prices, index.Month, error) {
	var last index.Month
	if len(b.Weights) == 0 {
		return nil, last, nil
	}
	codes := map[int64]string{}
	for _, w := range b.Weights {
		codes[w.ID] = w.Code
	}
	rows, err := q.QueryContext(ctx, `SELECT commodity_id, month, sum_log, n, min_price, max_price FROM price_month_city
		WHERE commodity_id IN (`+idList(b.commodityIDs())+`) AND month >= $1`, b.Base.String())
	if err != nil {
		return nil, last, err
	}
	defer rows.Close()
	out := index.Prices{}
	for rows.Next() {
		var id int64
		var month string
		var c cell
		if err := rows.Scan(&id, &month, &c.SumLog, &c.N, &c.Min, &c.Max); err != nil {
			return nil, last, err
		}
		m, err := index.ParseMonth(month)
		if err != nil {
			return nil, last, err
		}
		p, ok := c.mean()
		if !ok {
			continue
		}
		if out[m] == nil {
			out[m] = map[string]float64{}
		}
		out[m][codes[id]] = p
		if m.After(last) {
			last = m
		}
	}
	return out, last, rows.Err()
}

// compute runs package index over everything known for the basket.
func (s *Store) compute(ctx context.Context, q querier, b Basket) ([]index.Period, error) {
	p, last, err := s.monthlyPrices(ctx, q, b)
	if err != nil || !last.Valid() {
		return nil, err
	}
	return index.Compute(b.engine(), p, b.Base, last)
}

// Recompute computes a basket's index series and stores it. A basket
// that cannot be computed because of its data (a commodity without a
// base-period price) stores the reason, which the pages show; retrying
// would not help, so the job succeeds.
func (s *Store) Recompute(ctx context.Context, basketID int64) error {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT dirty_seq FROM price_baskets WHERE id = $1`, basketID).Scan(&seq); errors.Is(err, sql.ErrNoRows) {
		return nil // deleted since
	} else if err != nil {
		return err
	}
	// Read the basket and its prices after the sequence number: a write
	// that lands in between makes the stored result look stale (the next
	// run fixes it), never the other way round.
	b, err := s.loadBasket(ctx, s.db, `id = $1`, basketID)
	if err != nil {
		return err
	}
	periods, cerr := s.compute(ctx, s.db, b)
	var missing *index.MissingBaseError
	if cerr != nil && !errors.As(cerr, &missing) {
		return cerr
	}
	lastError := ""
	if cerr != nil {
		lastError = cerr.Error()
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM price_index_results WHERE basket_id = $1`, basketID); err != nil {
			return err
		}
		ins := newBulkInsert(ctx, s.db, tx, `INSERT INTO price_index_results (basket_id, month, idx, mtm, yoy, ytd, andil, group_idx, carried) VALUES `, 9)
		for _, p := range periods {
			andil, _ := json.Marshal(andilOf(p))
			groups, _ := json.Marshal(p.Groups)
			carried, _ := json.Marshal(nonNil(p.Carried))
			if err := ins.add(basketID, p.Month.String(), p.Index, nullPct(p.MtM), nullPct(p.YoY), nullPct(p.YtD),
				string(andil), string(groups), string(carried)); err != nil {
				return err
			}
		}
		if err := ins.close(); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE price_baskets SET clean_seq = $2, computed_at = $3, last_error = $4 WHERE id = $1`,
			basketID, seq, database.TimeArg(s.d.Clock.Now()), lastError)
		return err
	})
}

// AndilJSON is a commodity's contribution as the API publishes it.
type AndilJSON struct {
	Commodity string  `json:"commodity"`
	Value     float64 `json:"value"`
}

func andilOf(p index.Period) []AndilJSON {
	out := make([]AndilJSON, len(p.Andil))
	for i, c := range p.Andil {
		out[i] = AndilJSON{Commodity: c.Commodity, Value: c.Value}
	}
	return out
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func nullPct(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// IndexSeries returns a basket's index for the months from..to (either
// may be invalid for "from the base" and "to the latest"). Stored results
// serve while they are current; when prices changed since, the series is
// computed on the spot (from the monthly aggregates, a few milliseconds),
// so the answer is always current.
func (s *Store) IndexSeries(ctx context.Context, name string, from, to index.Month) (Basket, []index.Period, error) {
	b, err := s.BasketByName(ctx, name)
	if err != nil {
		return b, nil, err
	}
	var all []index.Period
	if b.Stale {
		if all, err = s.compute(ctx, s.db, b); err != nil {
			return b, nil, err
		}
	} else {
		if b.LastError != "" {
			// Current, and failing for a reason the data must fix.
			_, err := s.compute(ctx, s.db, b)
			return b, nil, err
		}
		if all, err = s.storedResults(ctx, b.ID); err != nil {
			return b, nil, err
		}
	}
	out := all[:0:0]
	for _, p := range all {
		if from.Valid() && p.Month.Before(from) || to.Valid() && p.Month.After(to) {
			continue
		}
		out = append(out, p)
	}
	return b, out, nil
}

func (s *Store) storedResults(ctx context.Context, basketID int64) ([]index.Period, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT month, idx, mtm, yoy, ytd, andil, group_idx, carried FROM price_index_results
		WHERE basket_id = $1 ORDER BY month`, basketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []index.Period
	for rows.Next() {
		var p index.Period
		var month, andil, groups, carried string
		var mtm, yoy, ytd sql.NullFloat64
		if err := rows.Scan(&month, &p.Index, &mtm, &yoy, &ytd, &andil, &groups, &carried); err != nil {
			return nil, err
		}
		if p.Month, err = index.ParseMonth(month); err != nil {
			return nil, err
		}
		p.MtM, p.YoY, p.YtD = ptrOf(mtm), ptrOf(yoy), ptrOf(ytd)
		var contributions []AndilJSON
		if err := json.Unmarshal([]byte(andil), &contributions); err != nil {
			return nil, err
		}
		if p.MtM != nil {
			p.Andil = make([]index.Contribution, len(contributions))
			for i, c := range contributions {
				p.Andil[i] = index.Contribution{Commodity: c.Commodity, Value: c.Value}
			}
		}
		if err := json.Unmarshal([]byte(groups), &p.Groups); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(carried), &p.Carried); err != nil {
			return nil, err
		}
		if len(p.Carried) == 0 {
			p.Carried = nil
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func ptrOf(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}
