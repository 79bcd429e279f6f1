package prices

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// ScaleSpec is the volume SeedScale generates: daily prices of every
// commodity at every trader of every market for Years years up to today.
type ScaleSpec struct {
	Years, Markets, Commodities, Traders int
}

// ScaleBasket is the basket of the generated commodities.
const ScaleBasket = "Skala"

// SpecFor is the volume of "demo --scale N": ten years of 10·N markets
// × 80 commodities × 3 traders, daily — 8.8 million observations at N = 1.
func SpecFor(scale int) ScaleSpec {
	return ScaleSpec{Years: 10, Markets: 10 * scale, Commodities: 80, Traders: 3}
}

// SeedScale implements app.ScaleSeeder.
func (m *Module) SeedScale(ctx context.Context, d *app.Deps, scale int) error {
	return m.store.GenerateScale(ctx, SpecFor(scale))
}

// GenerateScale writes the volume of spec with its own markets
// (skala-pNN), commodities (skala-kNNN) and basket (Skala), month by
// month: multi-row INSERTs in one transaction per month, whose aggregates
// are refreshed in the same transaction. It does nothing when the
// generated markets exist already.
func (s *Store) GenerateScale(ctx context.Context, spec ScaleSpec) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM price_markets WHERE code LIKE 'skala-p%'`).Scan(&n); err != nil || n > 0 {
		if n > 0 {
			s.d.Log.Info("prices: scale data exists, not generated again")
		}
		return err
	}
	rng := rand.New(rand.NewPCG(8, 8_800_000))
	today := s.today()
	last, _ := index.ParseMonth(today[:7])
	first := last.AddMonths(-12*spec.Years + 1)
	start := first.String() + "-01"

	var markets, commodities []int64
	traders := map[int64][]int64{}
	a := Actor{System: "scale"}
	unit, err := s.marketUnit(ctx)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for i := 1; i <= spec.Markets; i++ {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO price_markets (code, name, address, unit_code, active, created_at, updated_at)
				VALUES ($1, $2, '', $3, TRUE, $4, $4) RETURNING id`, fmt.Sprintf("skala-p%02d", i), fmt.Sprintf("Pasar Skala %02d", i), unit, now).Scan(&id); err != nil {
				return err
			}
			markets = append(markets, id)
			for t := 1; t <= spec.Traders; t++ {
				tid, err := s.traderID(ctx, tx, id, fmt.Sprintf("Lapak %d", t))
				if err != nil {
					return err
				}
				traders[id] = append(traders[id], tid)
			}
		}
		weights := map[string]float64{}
		for i := 1; i <= spec.Commodities; i++ {
			code := fmt.Sprintf("skala-k%03d", i)
			c := Commodity{Code: code, Name: fmt.Sprintf("Komoditas skala %03d", i), Unit: "kg", GroupCode: fmt.Sprintf("%02d", 1+(i-1)%11),
				Category: Categories[(i-1)%len(Categories)], Active: true}
			id, _, err := s.saveCommodity(ctx, tx, a, c)
			if err != nil {
				return err
			}
			commodities = append(commodities, id)
			weights[code] = 1 + rng.Float64()*99
		}
		var basket int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO price_baskets (name, base_month, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
			ScaleBasket, first.String(), "Generated volume for benchmarks", now).Scan(&basket); err != nil {
			return err
		}
		for i, id := range commodities {
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_basket_weights (basket_id, commodity_id, weight) VALUES ($1, $2, $3)`,
				basket, id, weights[fmt.Sprintf("skala-k%03d", i+1)]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	// Each commodity's city price walks day by day; each market sits a
	// few percent above or below it and each trader's price scatters
	// around the market's.
	level := make([]float64, len(commodities))
	factor := make([][]float64, len(commodities))
	for i := range level {
		level[i] = 2000 + rng.Float64()*150000
		factor[i] = make([]float64, len(markets))
		for j := range factor[i] {
			factor[i][j] = math.Exp(rng.NormFloat64() * 0.04)
		}
	}
	begin := time.Now()
	rows := 0
	for m := first; !m.After(last); m = m.AddMonths(1) {
		from := m.String() + "-01"
		to := min(m.String()+"-31", today)
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := s.bulkSession(ctx, tx); err != nil {
				return err
			}
			ins := s.newPriceWriter(ctx, tx, StatusApproved, SourceScale)
			// Commodity by commodity, so that the rows arrive in the order
			// of the (commodity, day, market) index: each insert lands
			// next to the previous one instead of in another part of an
			// index far larger than the cache.
			for i, c := range commodities {
				for day := from; day <= to && validDay(day); day = addDays(day, 1) {
					level[i] *= math.Exp(rng.NormFloat64() * 0.006)
					for j, mk := range markets {
						base := level[i] * factor[i][j]
						for _, t := range traders[mk] {
							p := math.Round(base*math.Exp(rng.NormFloat64()*0.01)/10) * 10
							if err := ins.add(day, mk, c, t, math.Max(p, 10)); err != nil {
								return err
							}
							rows++
						}
					}
				}
			}
			if err := ins.close(); err != nil {
				return err
			}
			return refreshAggregates(ctx, tx, commodities, from, to)
		})
		if err != nil {
			return err
		}
		if m.Month == time.December || m == last {
			s.d.Log.Info("prices: scale data", "through", m.String(), "rows", rows, "rows_per_s", int(float64(rows)/time.Since(begin).Seconds()))
		}
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.markDirty(ctx, tx, commodities[:1]); err != nil {
			return err
		}
		if err := bumpVersion(ctx, tx); err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_scale.generated", ObjectType: "price_seed", ObjectID: "scale",
			After: map[string]any{"observations": rows, "from": start, "to": today, "markets": spec.Markets, "commodities": spec.Commodities}})
	})
}

// marketUnit is the unit that owns new markets: the trade agency when
// the region profile has one, else the city's root unit.
func (s *Store) marketUnit(ctx context.Context) (string, error) {
	tree, err := s.d.Units.Tree(ctx)
	if err != nil {
		return "", err
	}
	if _, ok := tree.Get(defaultUnit); ok {
		return defaultUnit, nil
	}
	all := tree.All()
	if len(all) == 0 {
		return "", fmt.Errorf("prices: the region profile has no units")
	}
	return all[0].Code, nil
}
