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
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/prices/index"
	"github.com/sodamolek/sodamolek/internal/prices/seed"
)

// SeedDemo implements app.DemoSeeder: daily observations spread from the
// real monthly Kota Kupang prices of 2024-01 to 2025-08 (Panel Harga),
// continued to today by a random walk so the board is current, a few
// enumerator entries awaiting review, and arrivals from NTT regencies,
// Java, NTB and Sulawesi. A fixed-seed generator makes it the same on
// every run for the same day.
//
// The volume is kept small (one price per market and commodity a week,
// daily for the last four weeks; about 30,000 rows) because every test
// server started with --demo pays for it.
func (m *Module) SeedDemo(ctx context.Context, d *app.Deps) error { return m.store.seedDemo(ctx) }

// illustrativeBase prices the basket commodities Panel Harga does not
// cover, at plausible Kupang levels for January 2024. They are made up
// for the demo and labelled so in the seed README.
var illustrativeBase = map[string]float64{
	"ikan-tembang":  30000,
	"ikan-cakalang": 45000,
	"kangkung":      5000,
	"sawi":          15000,
	"daging-babi":   95000,
}

// volatility is the monthly log-price deviation of the random walk by
// category: chillies and fish move a lot, rice and oil little.
var volatility = map[string]float64{"bumbu": 0.08, "ikan": 0.05, "sayur": 0.06, "daging": 0.02, "telur": 0.03, "beras": 0.015, "bahan-pokok": 0.01}

// marketFactors spread the city price over the markets; their product is
// 1, so the city's geometric mean stays the real monthly price.
var marketFactors = []float64{0.98, 1.03, 1.0, 0.97, 1.02, 1 / (0.98 * 1.03 * 0.97 * 1.02)}

const demoStart = "2024-01-01"

func (s *Store) seedDemo(ctx context.Context) error {
	rng := rand.New(rand.NewPCG(5371, 2024))
	today := s.today()
	markets, err := s.Markets(ctx, true)
	if err != nil || len(markets) == 0 {
		return err
	}
	comms, err := s.Commodities(ctx, true)
	if err != nil {
		return err
	}
	targets, err := demoMonthlyTargets(rng, comms, today)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.bulkSession(ctx, tx); err != nil {
			return err
		}
		traders := make([][]int64, len(markets))
		for i, mk := range markets {
			for n := 1; n <= 3; n++ {
				id, err := s.traderID(ctx, tx, mk.ID, fmt.Sprintf("Lapak %d", n))
				if err != nil {
					return err
				}
				traders[i] = append(traders[i], id)
			}
		}
		ins := s.newPriceWriter(ctx, tx, StatusApproved, SourceDemo)
		recent := addDays(today, -27)
		var ids []int64
		for _, c := range comms {
			if targets[c.Code] != nil {
				ids = append(ids, c.ID)
			}
		}
		for day := demoStart; day <= today; day = addDays(day, 1) {
			t, _ := time.Parse(database.DateLayout, day)
			wd := t.Weekday()
			var who []int // indexes of the traders asked that day
			switch {
			case day >= recent && wd != time.Sunday:
				who = []int{0, 1}
			case day < recent && wd == time.Wednesday:
				_, week := t.ISOWeek()
				who = []int{week % 3}
			default:
				continue
			}
			for _, c := range comms {
				series := targets[c.Code]
				if series == nil {
					continue
				}
				base := demoDailyPrice(series, t)
				// The last week's chilli spike shows the early warning.
				if c.Code == "cabai-rawit-merah" && day > addDays(today, -7) {
					base *= 1.18
				}
				for i, mk := range markets {
					for _, w := range who {
						p := roundPrice(base * marketFactors[i%len(marketFactors)] * math.Exp(rng.NormFloat64()*0.015))
						if err := ins.add(day, mk.ID, c.ID, traders[i][w], p); err != nil {
							return err
						}
					}
				}
			}
		}
		if err := ins.close(); err != nil {
			return err
		}
		if err := s.demoEntries(ctx, tx, markets[0], traders[0][2], targets, today); err != nil {
			return err
		}
		if err := s.afterPriceWrite(ctx, tx, ids, demoStart, today); err != nil {
			return err
		}
		if err := s.demoInflows(ctx, tx, rng, today); err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("seed"), Action: "price_demo.seeded", ObjectType: "price_seed", ObjectID: "demo"})
	})
}

// demoMonthlyTargets gives each commodity a monthly city price from
// 2024-01 to today's month: the real series where there is one, an
// illustrative walk otherwise, continued by a random walk after the last
// real month.
func demoMonthlyTargets(rng *rand.Rand, comms []Commodity, today string) (map[string]map[index.Month]float64, error) {
	real, err := seed.KupangMonthly()
	if err != nil {
		return nil, err
	}
	panel, err := seed.Commodities()
	if err != nil {
		return nil, err
	}
	byPanel := map[string]map[index.Month]float64{}
	for _, p := range real {
		m, err := index.ParseMonth(p.Month)
		if err != nil {
			return nil, err
		}
		if byPanel[p.PanelName] == nil {
			byPanel[p.PanelName] = map[index.Month]float64{}
		}
		byPanel[p.PanelName][m] = p.Price
	}
	panelOf := map[string]string{}
	for _, c := range panel {
		panelOf[c.Code] = c.PanelName
	}
	first, _ := index.ParseMonth(demoStart[:7])
	last, _ := index.ParseMonth(today[:7])
	out := map[string]map[index.Month]float64{}
	for _, c := range comms {
		series := map[index.Month]float64{}
		realSeries := byPanel[panelOf[c.Code]]
		price, ok := illustrativeBase[c.Code]
		if realSeries == nil && !ok {
			continue // a commodity added by staff: no demo prices
		}
		sigma := volatility[c.Category]
		if sigma == 0 {
			sigma = 0.02
		}
		// After the real series the walk is pulled back towards the
		// series' mean level, so prices wander but stay plausible.
		anchor := math.Log(price)
		if len(realSeries) > 0 {
			var sum float64
			for _, p := range realSeries {
				sum += math.Log(p)
			}
			anchor = sum / float64(len(realSeries))
		}
		for m := first; !m.After(last); m = m.AddMonths(1) {
			if p, ok := realSeries[m]; ok {
				price = p
			} else if m != first || realSeries != nil {
				lp := math.Log(price)
				price = math.Exp(lp + 0.3*(anchor-lp) + rng.NormFloat64()*sigma)
			}
			series[m] = price
		}
		out[c.Code] = series
	}
	return out, nil
}

// demoDailyPrice interpolates the monthly prices (placed mid-month) in
// log space, so prices drift through a month instead of jumping on the
// first.
func demoDailyPrice(series map[index.Month]float64, t time.Time) float64 {
	m := index.MonthOf(t)
	mid := time.Date(t.Year(), t.Month(), 15, 0, 0, 0, 0, time.UTC)
	other := m.AddMonths(1)
	if t.Before(mid) {
		other = m.AddMonths(-1)
	}
	p0, ok0 := series[m]
	p1, ok1 := series[other]
	if !ok1 {
		return p0
	}
	if !ok0 {
		return p1
	}
	otherMid := time.Date(other.Year, other.Month, 15, 0, 0, 0, 0, time.UTC)
	frac := math.Abs(t.Sub(mid).Hours()) / math.Abs(otherMid.Sub(mid).Hours())
	return math.Exp(math.Log(p0)*(1-frac) + math.Log(p1)*frac)
}

// roundPrice rounds as market traders price: to Rp 500 above Rp 10,000,
// to Rp 100 below.
func roundPrice(p float64) float64 {
	step := 100.0
	if p >= 10000 {
		step = 500
	}
	return math.Max(step, math.Round(p/step)*step)
}

// demoEntries adds today's enumerator entries in one market that a
// supervisor has yet to review, one of them flagged with a reason.
func (s *Store) demoEntries(ctx context.Context, tx *sql.Tx, mk Market, trader int64, targets map[string]map[index.Month]float64, today string) error {
	t, _ := time.Parse(database.DateLayout, today)
	now := s.now()
	for i, e := range []struct {
		code   string
		factor float64
		reason string
	}{
		{"beras-medium", 1, ""},
		{"telur-ayam-ras", 1.01, ""},
		{"ikan-kembung", 1.35, "Cuaca buruk, kapal nelayan tidak melaut dua hari"},
	} {
		series := targets[e.code]
		if series == nil {
			continue
		}
		status := StatusPending
		if e.reason != "" {
			status = StatusFlagged
		}
		price := roundPrice(demoDailyPrice(series, t) * e.factor)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO price_observations (day, market_id, commodity_id, trader_id, price, status, reason, source, created_at)
			SELECT $1, $2, id, $3, $4, $5, $6, $7, $8 FROM price_commodities WHERE code = $9 RETURNING id`,
			today, mk.ID, trader, price, status, e.reason, SourceEntry, now, e.code).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_entry_keys (idem_key, observation_id) VALUES ($1, $2)`,
			fmt.Sprintf("demo-entry-%s-%d", today, i), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_observation_history (observation_id, action, new_price, note, actor_name, acted_at)
			VALUES ($1, 'created', $2, $3, 'enumerator', $4)`, id, price, e.reason, now); err != nil {
			return err
		}
	}
	return nil
}

// demoFlows are typical arrivals into Kupang: fish landed at TPI Oeba from
// the islands, rice and onions shipped through Tenau from Sulawesi, NTB
// and Java, eggs from Blitar, vegetables and pork by road from mainland
// Timor.
var demoFlows = []struct {
	commodity, origin, mode, entry string
	minQty, maxQty                 float64
	unit                           string
	perWeek                        int
}{
	{"ikan-kembung", "53.01", "ship", "tpi-oeba", 300, 1500, "kg", 5},
	{"ikan-tongkol", "53.14", "ship", "tpi-oeba", 500, 2500, "kg", 4},
	{"ikan-cakalang", "53.05", "ship", "tpi-oeba", 400, 2000, "kg", 3},
	{"ikan-tembang", "53.20", "ship", "tpi-oeba", 200, 900, "kg", 2},
	{"ikan-tongkol", "53.01", "ship", "tpi-oeba", 300, 1200, "kg", 3},
	{"beras-medium", "73.14", "ship", "pelabuhan-tenau", 40, 120, "ton", 1},
	{"beras-premium", "73.71", "ship", "pelabuhan-tenau", 20, 60, "ton", 1},
	{"beras-medium", "35.78", "ship", "pelabuhan-tenau", 30, 80, "ton", 1},
	{"bawang-merah", "52.06", "ship", "pelabuhan-tenau", 5, 20, "ton", 1},
	{"bawang-merah", "35.18", "ship", "pelabuhan-tenau", 3, 12, "ton", 1},
	{"telur-ayam-ras", "35.05", "ship", "pelabuhan-tenau", 8, 25, "ton", 1},
	{"cabai-rawit-merah", "53.02", "truck", "darat-timor-raya", 200, 800, "kg", 3},
	{"cabai-rawit-merah", "35.07", "air", "bandara-eltari", 100, 400, "kg", 1},
	{"kangkung", "53.01", "truck", "darat-timor-raya", 300, 1200, "ikat", 5},
	{"sawi", "53.02", "truck", "darat-timor-raya", 200, 900, "kg", 4},
	{"daging-babi", "53.03", "truck", "darat-timor-raya", 300, 1500, "kg", 2},
	{"daging-sapi", "53.01", "truck", "darat-timor-raya", 500, 2000, "kg", 2},
	{"gula-konsumsi", "35.78", "ship", "pelabuhan-tenau", 10, 40, "ton", 1},
}

// demoInflows records eight weeks of arrivals.
func (s *Store) demoInflows(ctx context.Context, tx *sql.Tx, rng *rand.Rand, today string) error {
	ids, err := codeIDs(ctx, tx, `SELECT code, id FROM price_commodities`)
	if err != nil {
		return err
	}
	units, err := codeUnits(ctx, tx)
	if err != nil {
		return err
	}
	ins := newBulkInsert(ctx, s.db, tx, `INSERT INTO price_inflows (day, commodity_id, quantity, unit, quantity_base, origin_code, mode, entry_point, created_at) VALUES `, 9)
	now := s.now()
	for day := addDays(today, -55); day <= today; day = addDays(day, 1) {
		for _, f := range demoFlows {
			id := ids[f.commodity]
			if id == 0 || rng.IntN(7) >= f.perWeek {
				continue
			}
			qty := math.Round(f.minQty + rng.Float64()*(f.maxQty-f.minQty))
			factor, ok := unitFactor(f.unit, units[f.commodity])
			if !ok {
				continue
			}
			if err := ins.add(day, id, qty, f.unit, qty*factor, f.origin, f.mode, f.entry, now); err != nil {
				return err
			}
		}
	}
	return ins.close()
}

func codeUnits(ctx context.Context, q querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, unit FROM price_commodities`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, unit string
		if err := rows.Scan(&code, &unit); err != nil {
			return nil, err
		}
		out[code] = unit
	}
	return out, rows.Err()
}
