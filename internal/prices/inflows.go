package prices

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
)

// Origin is a region commodities come from: an Indonesian kab/kota by its
// Kemendagri code (NN.NN).
type Origin struct {
	Code, Name, Province string
	Lat, Lon             *float64
}

// EntryPoint is where goods enter the city.
type EntryPoint struct {
	Code, Name, Mode string
	Lat, Lon         *float64
}

// Origins lists the origin regions by code.
func (s *Store) Origins(ctx context.Context) ([]Origin, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, province, lat, lon FROM price_origins ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Origin
	for rows.Next() {
		var o Origin
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&o.Code, &o.Name, &o.Province, &lat, &lon); err != nil {
			return nil, err
		}
		if lat.Valid && lon.Valid {
			o.Lat, o.Lon = &lat.Float64, &lon.Float64
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SaveOrigin adds an origin region or updates one (the seeded list is a
// subset of Indonesia's kab/kota that administrators extend).
func (s *Store) SaveOrigin(ctx context.Context, a Actor, o Origin) error {
	trimAll(&o.Code, &o.Name, &o.Province)
	if !regionCodePattern.MatchString(o.Code) {
		return fieldErr("code", "prices.err.region_code")
	}
	if o.Name == "" || utf8.RuneCountInString(o.Name) > 120 || utf8.RuneCountInString(o.Province) > 120 {
		return fieldErr("name", "prices.err.name")
	}
	if (o.Lat == nil) != (o.Lon == nil) || o.Lat != nil && (math.Abs(*o.Lat) > 90 || math.Abs(*o.Lon) > 180) {
		return fieldErr("lat", "prices.err.coordinates")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_origins (code, name, province, lat, lon, created_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, province = excluded.province, lat = excluded.lat, lon = excluded.lon`,
			o.Code, o.Name, o.Province, nullFloat(o.Lat), nullFloat(o.Lon), s.now()); err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_origin.saved", ObjectType: "price_origin", ObjectID: o.Code, After: o})
	})
}

// EntryPoints lists the points of entry by name.
func (s *Store) EntryPoints(ctx context.Context) ([]EntryPoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, mode, lat, lon FROM price_entry_points ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EntryPoint
	for rows.Next() {
		var e EntryPoint
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&e.Code, &e.Name, &e.Mode, &lat, &lon); err != nil {
			return nil, err
		}
		if lat.Valid && lon.Valid {
			e.Lat, e.Lon = &lat.Float64, &lon.Float64
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Inflow is an arrival of a commodity to record.
type Inflow struct {
	Key         string  `json:"key,omitempty"`
	Day         string  `json:"day"`
	Commodity   string  `json:"commodity"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`
	Origin      string  `json:"origin"`
	Mode        string  `json:"mode"`
	EntryPoint  string  `json:"entry_point"`
	Distributor string  `json:"distributor,omitempty"`
}

// unitFactor converts a quantity in unit to the commodity's own unit, so
// shares by origin add up; ok is false for units that do not convert.
func unitFactor(unit, base string) (float64, bool) {
	unit, base = strings.ToLower(unit), strings.ToLower(base)
	if unit == base {
		return 1, true
	}
	if base == "kg" {
		switch unit {
		case "kuintal":
			return 100, true
		case "ton":
			return 1000, true
		}
	}
	return 0, false
}

// UnitsFor lists the units an arrival of the commodity may be given in.
func UnitsFor(c Commodity) []string {
	if strings.EqualFold(c.Unit, "kg") {
		return []string{c.Unit, "kuintal", "ton"}
	}
	return []string{c.Unit}
}

// maxInflowAge bounds back-dated arrivals (a year of paper records).
const maxInflowAge = 366

// RecordInflow stores an arrival and reports its id; with a Key already
// stored it stores nothing and returns the earlier id with dup true.
func (s *Store) RecordInflow(ctx context.Context, a Actor, in Inflow) (id int64, dup bool, err error) {
	trimAll(&in.Key, &in.Day, &in.Commodity, &in.Unit, &in.Origin, &in.Mode, &in.EntryPoint, &in.Distributor)
	if in.Key != "" && !keyPattern.MatchString(in.Key) {
		return 0, false, fieldErr("key", "prices.err.key")
	}
	if _, err := parseDay(in.Day); err != nil {
		return 0, false, fieldErr("day", "prices.err.day")
	}
	today := s.today()
	if in.Day > today || in.Day < addDays(today, -maxInflowAge) {
		return 0, false, fieldErr("day", "prices.err.entry_day", maxInflowAge)
	}
	c, err := s.CommodityByCode(ctx, in.Commodity)
	if errors.Is(err, ErrNotFound) {
		return 0, false, fieldErr("commodity", "prices.err.unknown_commodity", in.Commodity)
	}
	if err != nil {
		return 0, false, err
	}
	if !(in.Quantity > 0) || in.Quantity > 1e9 {
		return 0, false, fieldErr("quantity", "prices.err.quantity")
	}
	factor, ok := unitFactor(in.Unit, c.Unit)
	if !ok {
		return 0, false, fieldErr("unit", "prices.err.inflow_unit", c.Unit)
	}
	if !contains(Modes, in.Mode) {
		return 0, false, fieldErr("mode", "prices.err.mode")
	}
	if utf8.RuneCountInString(in.Distributor) > 120 {
		return 0, false, fieldErr("distributor", "prices.err.too_long")
	}
	var key any
	if in.Key != "" {
		key = in.Key
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM price_origins WHERE code = $1`, in.Origin).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fieldErr("origin", "prices.err.unknown_origin", in.Origin)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM price_entry_points WHERE code = $1`, in.EntryPoint).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fieldErr("entry_point", "prices.err.unknown_entry_point", in.EntryPoint)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO price_inflows (day, commodity_id, quantity, unit, quantity_base, origin_code, mode, entry_point,
			distributor, idem_key, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
			in.Day, c.ID, in.Quantity, in.Unit, in.Quantity*factor, in.Origin, in.Mode, in.EntryPoint, in.Distributor, key, a.userID(), s.now()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			dup = true
			return tx.QueryRowContext(ctx, `SELECT id FROM price_inflows WHERE idem_key = $1`, in.Key).Scan(&id)
		}
		if err != nil {
			return err
		}
		return s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_inflow.created", ObjectType: "price_inflow", ObjectID: itoa(id), After: in})
	})
	return id, dup, err
}

// InflowFilter selects arrivals: days from..to, optionally one commodity
// or one category.
type InflowFilter struct {
	From, To  string
	Commodity string
	Category  string
}

func (f InflowFilter) where() (string, []any) {
	conds := []string{`i.day >= $1`, `i.day <= $2`}
	args := []any{f.From, f.To}
	if f.Commodity != "" {
		args = append(args, f.Commodity)
		conds = append(conds, fmt.Sprintf(`c.code = $%d`, len(args)))
	}
	if f.Category != "" {
		args = append(args, f.Category)
		conds = append(conds, fmt.Sprintf(`c.category = $%d`, len(args)))
	}
	return strings.Join(conds, " AND "), args
}

// OriginFlow is what came from one origin region in a period.
type OriginFlow struct {
	Origin      Origin
	Arrivals    int
	Commodities []CommodityQuantity
	Modes       map[string]int
}

// CommodityQuantity is a total in the commodity's unit, with its share of
// everything that commodity brought in the period.
type CommodityQuantity struct {
	Commodity Commodity
	Quantity  float64
	SharePct  float64
}

// Flows totals the arrivals by origin, largest number of arrivals first.
func (s *Store) Flows(ctx context.Context, f InflowFilter) ([]OriginFlow, error) {
	where, args := f.where()
	rows, err := s.db.QueryContext(ctx, `SELECT o.code, o.name, o.province, o.lat, o.lon, i.mode, COUNT(*), SUM(i.quantity_base),
		`+prefixed("c.", commodityColumns)+`
		FROM price_inflows i JOIN price_origins o ON o.code = i.origin_code JOIN price_commodities c ON c.id = i.commodity_id
		WHERE `+where+` GROUP BY o.code, o.name, o.province, o.lat, o.lon, i.mode, `+prefixed("c.", commodityColumns), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byOrigin := map[string]*OriginFlow{}
	perCommodity := map[string]map[int64]float64{} // origin → commodity → quantity
	totals := map[int64]float64{}
	comms := map[int64]Commodity{}
	for rows.Next() {
		var o Origin
		var lat, lon sql.NullFloat64
		var mode string
		var n int
		var qty float64
		var c Commodity
		if err := rows.Scan(&o.Code, &o.Name, &o.Province, &lat, &lon, &mode, &n, &qty,
			&c.ID, &c.Code, &c.Name, &c.Variety, &c.Unit, &c.GroupCode, &c.Category, &c.Active); err != nil {
			return nil, err
		}
		if lat.Valid && lon.Valid {
			o.Lat, o.Lon = &lat.Float64, &lon.Float64
		}
		fl := byOrigin[o.Code]
		if fl == nil {
			fl = &OriginFlow{Origin: o, Modes: map[string]int{}}
			byOrigin[o.Code] = fl
			perCommodity[o.Code] = map[int64]float64{}
		}
		fl.Arrivals += n
		fl.Modes[mode] += n
		perCommodity[o.Code][c.ID] += qty
		totals[c.ID] += qty
		comms[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]OriginFlow, 0, len(byOrigin))
	for code, fl := range byOrigin {
		for id, q := range perCommodity[code] {
			fl.Commodities = append(fl.Commodities, CommodityQuantity{Commodity: comms[id], Quantity: q, SharePct: q / totals[id] * 100})
		}
		sort.Slice(fl.Commodities, func(i, j int) bool { return fl.Commodities[i].Commodity.Code < fl.Commodities[j].Commodity.Code })
		out = append(out, *fl)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Arrivals != out[j].Arrivals {
			return out[i].Arrivals > out[j].Arrivals
		}
		return out[i].Origin.Code < out[j].Origin.Code
	})
	return out, nil
}

// OriginShare is one origin's share of a commodity's arrivals in a month.
type OriginShare struct {
	Month    string
	Origin   string
	Quantity float64
	SharePct float64
}

// OriginShares returns, for each month from..to (YYYY-MM), each origin's
// share of the commodity's arrivals.
func (s *Store) OriginShares(ctx context.Context, commodityID int64, from, to string) ([]OriginShare, map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT substr(i.day, 1, 7), i.origin_code, o.name, SUM(i.quantity_base)
		FROM price_inflows i JOIN price_origins o ON o.code = i.origin_code
		WHERE i.commodity_id = $1 AND i.day >= $2 AND i.day <= $3
		GROUP BY substr(i.day, 1, 7), i.origin_code, o.name ORDER BY 1, 4 DESC`, commodityID, from+"-01", to+"-31")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []OriginShare
	names := map[string]string{}
	totals := map[string]float64{}
	for rows.Next() {
		var sh OriginShare
		var name string
		if err := rows.Scan(&sh.Month, &sh.Origin, &name, &sh.Quantity); err != nil {
			return nil, nil, err
		}
		names[sh.Origin] = name
		totals[sh.Month] += sh.Quantity
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for i := range out {
		out[i].SharePct = out[i].Quantity / totals[out[i].Month] * 100
	}
	return out, names, nil
}

// InflowRow is one recorded arrival, for staff lists and exports.
type InflowRow struct {
	ID          int64
	Day         string
	Commodity   Commodity
	Quantity    float64
	Unit        string
	Origin      Origin
	Mode        string
	EntryPoint  string
	Distributor string
}

// InflowRows lists arrivals newest first; fn receives each row, so an
// export streams them.
func (s *Store) InflowRows(ctx context.Context, f InflowFilter, limit int, fn func(InflowRow) error) error {
	where, args := f.where()
	q := `SELECT i.id, i.day, i.quantity, i.unit, i.mode, i.entry_point, i.distributor, o.code, o.name, o.province,
		` + prefixed("c.", commodityColumns) + `
		FROM price_inflows i JOIN price_origins o ON o.code = i.origin_code JOIN price_commodities c ON c.id = i.commodity_id
		WHERE ` + where + ` ORDER BY i.day DESC, i.id DESC`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r InflowRow
		c := &r.Commodity
		if err := rows.Scan(&r.ID, &r.Day, &r.Quantity, &r.Unit, &r.Mode, &r.EntryPoint, &r.Distributor, &r.Origin.Code, &r.Origin.Name, &r.Origin.Province,
			&c.ID, &c.Code, &c.Name, &c.Variety, &c.Unit, &c.GroupCode, &c.Category, &c.Active); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
