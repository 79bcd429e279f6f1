package prices

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

const marketColumns = `id, code, name, address, lat, lon, unit_code, active`

func scanMarket(sc interface{ Scan(...any) error }) (Market, error) {
	var m Market
	var lat, lon sql.NullFloat64
	err := sc.Scan(&m.ID, &m.Code, &m.Name, &m.Address, &lat, &lon, &m.UnitCode, &m.Active)
	if lat.Valid && lon.Valid {
		m.Lat, m.Lon = &lat.Float64, &lon.Float64
	}
	return m, err
}

// Markets lists markets by name; activeOnly leaves out closed ones.
func (s *Store) Markets(ctx context.Context, activeOnly bool) ([]Market, error) {
	q := `SELECT ` + marketColumns + ` FROM price_markets`
	if activeOnly {
		q += ` WHERE active`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Market
	for rows.Next() {
		m, err := scanMarket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarketByCode returns a market or ErrNotFound.
func (s *Store) MarketByCode(ctx context.Context, code string) (Market, error) {
	m, err := scanMarket(s.db.QueryRowContext(ctx, `SELECT `+marketColumns+` FROM price_markets WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

// checkMarket validates a market's fields; the unit must exist.
func (s *Store) checkMarket(ctx context.Context, m *Market) error {
	trimAll(&m.Code, &m.Name, &m.Address, &m.UnitCode)
	if !validCode(m.Code) {
		return fieldErr("code", "prices.err.code")
	}
	if m.Name == "" || utf8.RuneCountInString(m.Name) > 120 {
		return fieldErr("name", "prices.err.name")
	}
	if (m.Lat == nil) != (m.Lon == nil) || m.Lat != nil && (math.Abs(*m.Lat) > 90 || math.Abs(*m.Lon) > 180 || math.IsNaN(*m.Lat) || math.IsNaN(*m.Lon)) {
		return fieldErr("lat", "prices.err.coordinates")
	}
	if m.UnitCode == "" {
		unit, err := s.marketUnit(ctx)
		if err != nil {
			return err
		}
		m.UnitCode = unit
	}
	tree, err := s.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	if _, ok := tree.Get(m.UnitCode); !ok {
		return fieldErr("unit_code", "prices.err.unit", m.UnitCode)
	}
	return nil
}

// saveMarket creates the market or updates the one with its code, inside
// tx, and records the change; it reports whether it created one.
func (s *Store) saveMarket(ctx context.Context, tx *sql.Tx, a Actor, m Market) (bool, error) {
	if err := s.checkMarket(ctx, &m); err != nil {
		return false, err
	}
	before, err := scanMarket(tx.QueryRowContext(ctx, `SELECT `+marketColumns+` FROM price_markets WHERE code = $1`, m.Code))
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	now := s.now()
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE price_markets SET name = $2, address = $3, lat = $4, lon = $5, unit_code = $6, active = $7, updated_at = $8 WHERE code = $1`,
			m.Code, m.Name, m.Address, nullFloat(m.Lat), nullFloat(m.Lon), m.UnitCode, m.Active, now)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO price_markets (code, name, address, lat, lon, unit_code, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, m.Code, m.Name, m.Address, nullFloat(m.Lat), nullFloat(m.Lon), m.UnitCode, m.Active, now)
	}
	if err != nil {
		return false, err
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return false, err
	}
	e := audit.Entry{Actor: a.audit(), Action: "price_market.created", ObjectType: "price_market", ObjectID: m.Code, After: m}
	if exists {
		e.Action, e.Before = "price_market.updated", before
	}
	return !exists, s.d.Audit.Record(ctx, tx, e)
}

// SaveMarket creates or updates a market.
func (s *Store) SaveMarket(ctx context.Context, a Actor, m Market) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := s.saveMarket(ctx, tx, a, m)
		return err
	})
}

const commodityColumns = `id, code, name, variety, unit, group_code, category, active`

func scanCommodity(sc interface{ Scan(...any) error }) (Commodity, error) {
	var c Commodity
	err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Variety, &c.Unit, &c.GroupCode, &c.Category, &c.Active)
	return c, err
}

// Commodities lists commodities in board order: by category, then name.
func (s *Store) Commodities(ctx context.Context, activeOnly bool) ([]Commodity, error) {
	q := `SELECT ` + commodityColumns + ` FROM price_commodities`
	if activeOnly {
		q += ` WHERE active`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Commodity
	for rows.Next() {
		c, err := scanCommodity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	sortCommodities(out)
	return out, rows.Err()
}

// sortCommodities puts commodities in the order of Categories, then by
// name and variety.
func sortCommodities(cs []Commodity) {
	rank := map[string]int{}
	for i, c := range Categories {
		rank[c] = i
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if rank[a.Category] != rank[b.Category] {
			return rank[a.Category] < rank[b.Category]
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Variety < b.Variety
	})
}

// CommodityByCode returns a commodity or ErrNotFound.
func (s *Store) CommodityByCode(ctx context.Context, code string) (Commodity, error) {
	c, err := scanCommodity(s.db.QueryRowContext(ctx, `SELECT `+commodityColumns+` FROM price_commodities WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

func checkCommodity(c *Commodity) error {
	trimAll(&c.Code, &c.Name, &c.Variety, &c.Unit, &c.GroupCode, &c.Category)
	if !validCode(c.Code) {
		return fieldErr("code", "prices.err.code")
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 120 {
		return fieldErr("name", "prices.err.name")
	}
	if utf8.RuneCountInString(c.Variety) > 80 {
		return fieldErr("variety", "prices.err.too_long")
	}
	if c.Unit == "" || utf8.RuneCountInString(c.Unit) > 20 {
		return fieldErr("unit", "prices.err.unit_name")
	}
	if len(c.GroupCode) == 1 {
		c.GroupCode = "0" + c.GroupCode
	}
	if _, ok := index.ExpenditureGroup(c.GroupCode); !ok {
		return fieldErr("group_code", "prices.err.group", c.GroupCode)
	}
	if c.Category == "" {
		c.Category = "lainnya"
	}
	if !contains(Categories, c.Category) {
		return fieldErr("category", "prices.err.category")
	}
	return nil
}

// saveCommodity creates the commodity or updates the one with its code.
// A changed expenditure group changes every basket's group indices, so it
// marks the baskets holding the commodity for recomputation.
func (s *Store) saveCommodity(ctx context.Context, tx *sql.Tx, a Actor, c Commodity) (int64, bool, error) {
	if err := checkCommodity(&c); err != nil {
		return 0, false, err
	}
	before, err := scanCommodity(tx.QueryRowContext(ctx, `SELECT `+commodityColumns+` FROM price_commodities WHERE code = $1`, c.Code))
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	now := s.now()
	id := before.ID
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE price_commodities SET name = $2, variety = $3, unit = $4, group_code = $5, category = $6, active = $7, updated_at = $8 WHERE id = $1`,
			id, c.Name, c.Variety, c.Unit, c.GroupCode, c.Category, c.Active, now)
		if err == nil && before.GroupCode != c.GroupCode {
			err = s.markDirty(ctx, tx, []int64{id})
		}
	} else {
		err = tx.QueryRowContext(ctx, `INSERT INTO price_commodities (code, name, variety, unit, group_code, category, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, c.Code, c.Name, c.Variety, c.Unit, c.GroupCode, c.Category, c.Active, now).Scan(&id)
	}
	if err != nil {
		return 0, false, err
	}
	c.ID = id
	if err := bumpVersion(ctx, tx); err != nil {
		return 0, false, err
	}
	e := audit.Entry{Actor: a.audit(), Action: "price_commodity.created", ObjectType: "price_commodity", ObjectID: c.Code, After: c}
	if exists {
		e.Action, e.Before = "price_commodity.updated", before
	}
	return id, !exists, s.d.Audit.Record(ctx, tx, e)
}

// SaveCommodity creates or updates a commodity.
func (s *Store) SaveCommodity(ctx context.Context, a Actor, c Commodity) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, _, err := s.saveCommodity(ctx, tx, a, c)
		return err
	})
}

const referenceColumns = `id, commodity_id, kind, price, legal_basis, valid_from, valid_to, note`

func scanReference(sc interface{ Scan(...any) error }) (Reference, error) {
	var r Reference
	err := sc.Scan(&r.ID, &r.CommodityID, &r.Kind, &r.Price, &r.LegalBasis, &r.ValidFrom, &r.ValidTo, &r.Note)
	return r, err
}

// References returns every reference price by commodity id, each list in
// order of its start.
func (s *Store) References(ctx context.Context) (map[int64][]Reference, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+referenceColumns+` FROM price_references ORDER BY commodity_id, valid_from, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Reference{}
	for rows.Next() {
		r, err := scanReference(rows)
		if err != nil {
			return nil, err
		}
		out[r.CommodityID] = append(out[r.CommodityID], r)
	}
	return out, rows.Err()
}

// referenceOn picks the reference price that applies on day: of those
// valid then, the one that started last (a temporary relaxation inside a
// longer rule wins over the rule).
func referenceOn(refs []Reference, day string) (Reference, bool) {
	var best Reference
	found := false
	for _, r := range refs {
		if r.validOn(day) && (!found || r.ValidFrom >= best.ValidFrom) {
			best, found = r, true
		}
	}
	return best, found
}

func checkReference(r *Reference) error {
	trimAll(&r.Kind, &r.LegalBasis, &r.ValidFrom, &r.ValidTo, &r.Note)
	r.Kind = strings.ToUpper(r.Kind)
	if r.Kind != RefHET && r.Kind != RefHAP {
		return fieldErr("kind", "prices.err.ref_kind")
	}
	if !(r.Price > 0) || math.IsInf(r.Price, 1) {
		return fieldErr("price", "prices.err.price")
	}
	if utf8.RuneCountInString(r.LegalBasis) > 300 || utf8.RuneCountInString(r.Note) > 300 {
		return fieldErr("legal_basis", "prices.err.too_long")
	}
	for field, d := range map[string]string{"valid_from": r.ValidFrom, "valid_to": r.ValidTo} {
		if d != "" {
			if _, err := parseDay(d); err != nil {
				return fieldErr(field, "prices.err.day")
			}
		}
	}
	if r.ValidFrom != "" && r.ValidTo != "" && r.ValidTo < r.ValidFrom {
		return fieldErr("valid_to", "prices.err.range")
	}
	return nil
}

func (s *Store) addReference(ctx context.Context, tx *sql.Tx, a Actor, code string, r Reference) error {
	if err := checkReference(&r); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO price_references (commodity_id, kind, price, legal_basis, valid_from, valid_to, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, r.CommodityID, r.Kind, r.Price, r.LegalBasis, r.ValidFrom, r.ValidTo, r.Note, s.now()).Scan(&r.ID)
	if err != nil {
		return err
	}
	// A new ceiling can turn today's price into an alert.
	if err := s.enqueueAlerts(ctx, tx); err != nil {
		return err
	}
	if err := bumpVersion(ctx, tx); err != nil {
		return err
	}
	return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_reference.created", ObjectType: "price_commodity", ObjectID: code, After: r})
}

// AddReference adds a HET/HAP price to a commodity.
func (s *Store) AddReference(ctx context.Context, a Actor, code string, r Reference) error {
	c, err := s.CommodityByCode(ctx, code)
	if err != nil {
		return err
	}
	r.CommodityID = c.ID
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return s.addReference(ctx, tx, a, code, r) })
}

// DeleteReference removes a reference price entered by mistake (a rule
// that ended is closed with valid_to instead, which keeps history).
func (s *Store) DeleteReference(ctx context.Context, a Actor, code string, id int64) error {
	c, err := s.CommodityByCode(ctx, code)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := scanReference(tx.QueryRowContext(ctx, `SELECT `+referenceColumns+` FROM price_references WHERE id = $1 AND commodity_id = $2`, id, c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM price_references WHERE id = $1`, id); err != nil {
			return err
		}
		if err := bumpVersion(ctx, tx); err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_reference.deleted", ObjectType: "price_commodity", ObjectID: code, Before: r})
	})
}

// Traders lists a market's traders by name.
func (s *Store) Traders(ctx context.Context, marketID int64, activeOnly bool) ([]Trader, error) {
	q := `SELECT id, market_id, name, active FROM price_traders WHERE market_id = $1`
	if activeOnly {
		q += ` AND active`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY name, id`, marketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Trader
	for rows.Next() {
		var t Trader
		if err := rows.Scan(&t.ID, &t.MarketID, &t.Name, &t.Active); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// maxTraderName bounds a trader's name, typed or imported.
const maxTraderName = 80

// SaveTrader adds a trader to a market (ID 0) or renames or (de)activates
// one.
func (s *Store) SaveTrader(ctx context.Context, a Actor, t Trader) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || utf8.RuneCountInString(t.Name) > maxTraderName {
		return fieldErr("name", "prices.err.name")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var err error
		action := "price_trader.created"
		if t.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO price_traders (market_id, name, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
				t.MarketID, t.Name, t.Active, now).Scan(&t.ID)
		} else {
			action = "price_trader.updated"
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE price_traders SET name = $3, active = $4, updated_at = $5 WHERE id = $1 AND market_id = $2`,
				t.ID, t.MarketID, t.Name, t.Active, now)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return ErrNotFound
				}
			}
		}
		if isUnique(err) {
			return fieldErr("name", "prices.err.trader_taken")
		}
		if err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: action, ObjectType: "price_trader", ObjectID: itoa(t.ID), After: t})
	})
}

// traderID finds a market's trader by name (any case), creating it when
// an import names a new one (or finding the one a concurrent import just
// created).
func (s *Store) traderID(ctx context.Context, tx *sql.Tx, marketID int64, name string) (int64, error) {
	var id int64
	find := func() error {
		return tx.QueryRowContext(ctx, `SELECT id FROM price_traders WHERE market_id = $1 AND LOWER(name) = LOWER($2) ORDER BY id LIMIT 1`, marketID, name).Scan(&id)
	}
	err := find()
	if errors.Is(err, sql.ErrNoRows) {
		now := s.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO price_traders (market_id, name, active, created_at, updated_at) VALUES ($1, $2, TRUE, $3, $3)
			ON CONFLICT (market_id, name) DO NOTHING RETURNING id`, marketID, name, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = find()
		}
	}
	return id, err
}

// Settings are the module's thresholds.
type Settings struct {
	// DeviationPct: an entered price further than this from the previous
	// observation or the market median needs a confirmation and reason.
	DeviationPct float64
	// WeeklyRisePct: a week-on-week rise beyond this raises an alert.
	WeeklyRisePct float64
}

// DefaultSettings are Kupang's defaults (DOMAIN.md §8: 10 % week on
// week; the issue: 25 % deviation).
var DefaultSettings = Settings{DeviationPct: 25, WeeklyRisePct: 10}

// Settings returns the current thresholds.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	out := DefaultSettings
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM price_settings`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return out, err
		}
		f, ok := parseNumber(v)
		if !ok {
			continue
		}
		switch k {
		case "deviation_pct":
			out.DeviationPct = f
		case "weekly_rise_pct":
			out.WeeklyRisePct = f
		}
	}
	return out, rows.Err()
}

// SaveSettings stores the thresholds (each between 1 and 500 %).
func (s *Store) SaveSettings(ctx context.Context, a Actor, v Settings) error {
	if !(v.DeviationPct >= 1 && v.DeviationPct <= 500) {
		return fieldErr("deviation_pct", "prices.err.pct")
	}
	if !(v.WeeklyRisePct >= 1 && v.WeeklyRisePct <= 500) {
		return fieldErr("weekly_rise_pct", "prices.err.pct")
	}
	before, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for k, f := range map[string]float64{"deviation_pct": v.DeviationPct, "weekly_rise_pct": v.WeeklyRisePct} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, formatNumber(f)); err != nil {
				return err
			}
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_settings.updated", ObjectType: "price_settings", Before: before, After: v})
	})
}
