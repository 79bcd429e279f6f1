package prices

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// Basket is an index basket as stored: its base month and, per
// commodity, the base-period expenditure value (weight).
type Basket struct {
	ID          int64
	Name        string
	Base        index.Month
	Description string
	// Stale is true while prices or weights changed since the stored
	// results were computed.
	Stale      bool
	ComputedAt time.Time
	// LastError is why the last computation failed (a commodity without
	// a base-period price), "" when it succeeded.
	LastError string
	Weights   []BasketWeight
}

// BasketWeight is one commodity of a basket.
type BasketWeight struct {
	Commodity
	Weight float64
}

// engine converts the basket for package index.
func (b Basket) engine() index.Basket {
	out := index.Basket{Name: b.Name, Base: b.Base, Weights: map[string]float64{}, Groups: map[string]string{}}
	for _, w := range b.Weights {
		out.Weights[w.Code] = w.Weight
		out.Groups[w.Code] = w.GroupCode
	}
	return out
}

func (b Basket) commodityIDs() []int64 {
	ids := make([]int64, len(b.Weights))
	for i, w := range b.Weights {
		ids[i] = w.ID
	}
	return ids
}

const basketColumns = `id, name, base_month, description, dirty_seq <> clean_seq, computed_at, last_error`

func scanBasket(sc interface{ Scan(...any) error }) (Basket, error) {
	var b Basket
	var base string
	err := sc.Scan(&b.ID, &b.Name, &base, &b.Description, &b.Stale, database.T(&b.ComputedAt), &b.LastError)
	if err != nil {
		return b, err
	}
	b.Base, err = index.ParseMonth(base)
	return b, err
}

// Baskets lists the baskets by name, without their weights.
func (s *Store) Baskets(ctx context.Context) ([]Basket, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+basketColumns+` FROM price_baskets ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Basket
	for rows.Next() {
		b, err := scanBasket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BasketByName returns a basket with its weights, or ErrNotFound.
func (s *Store) BasketByName(ctx context.Context, name string) (Basket, error) {
	return s.loadBasket(ctx, s.db, `name = $1`, name)
}

func (s *Store) loadBasket(ctx context.Context, q querier, cond string, arg any) (Basket, error) {
	b, err := scanBasket(q.QueryRowContext(ctx, `SELECT `+basketColumns+` FROM price_baskets WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, err
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.code, c.name, c.variety, c.unit, c.group_code, c.category, c.active, w.weight
		FROM price_basket_weights w JOIN price_commodities c ON c.id = w.commodity_id WHERE w.basket_id = $1 ORDER BY c.code`, b.ID)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var w BasketWeight
		if err := rows.Scan(&w.ID, &w.Code, &w.Name, &w.Variety, &w.Unit, &w.GroupCode, &w.Category, &w.Active, &w.Weight); err != nil {
			return b, err
		}
		b.Weights = append(b.Weights, w)
	}
	return b, rows.Err()
}

// BasketInput is a basket to create or replace; Weights maps commodity
// codes to base-period expenditure values.
type BasketInput struct {
	Name        string
	Base        string // YYYY-MM
	Description string
	Weights     map[string]float64
}

// SaveBasket creates the basket or replaces the one of the same name
// (base month, description and every weight), and has its index
// recomputed.
func (s *Store) SaveBasket(ctx context.Context, a Actor, in BasketInput) error {
	in.Name, in.Base, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Base), strings.TrimSpace(in.Description)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 80 {
		return fieldErr("name", "prices.err.name")
	}
	if _, err := index.ParseMonth(in.Base); err != nil {
		return fieldErr("base", "prices.err.month")
	}
	if len(in.Weights) == 0 {
		return fieldErr("weights", "prices.err.no_weights")
	}
	codes := make([]string, 0, len(in.Weights))
	for code, w := range in.Weights {
		if !(w > 0) || math.IsInf(w, 1) {
			return fieldErr("weights", "prices.err.weight", code)
		}
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		for _, code := range codes {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM price_commodities WHERE code = $1`, code).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return fieldErr("weights", "prices.err.unknown_commodity", code)
			}
			if err != nil {
				return err
			}
			ids[code] = id
		}
		before, err := s.loadBasket(ctx, tx, `name = $1`, in.Name)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		now := s.now()
		id := before.ID
		if exists {
			if _, err := tx.ExecContext(ctx, `UPDATE price_baskets SET base_month = $2, description = $3, updated_at = $4 WHERE id = $1`,
				id, in.Base, in.Description, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM price_basket_weights WHERE basket_id = $1`, id); err != nil {
				return err
			}
		} else if err := tx.QueryRowContext(ctx, `INSERT INTO price_baskets (name, base_month, description, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, in.Name, in.Base, in.Description, now).Scan(&id); err != nil {
			return err
		}
		for _, code := range codes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_basket_weights (basket_id, commodity_id, weight) VALUES ($1, $2, $3)`,
				id, ids[code], in.Weights[code]); err != nil {
				return err
			}
		}
		if err := s.markBasketsDirty(ctx, tx, []int64{id}); err != nil {
			return err
		}
		e := audit.Entry{Actor: a.audit(), Action: "price_basket.created", ObjectType: "price_basket", ObjectID: in.Name, After: in}
		if exists {
			e.Action = "price_basket.replaced"
			old := map[string]float64{}
			for _, w := range before.Weights {
				old[w.Code] = w.Weight
			}
			e.Before = map[string]any{"base": before.Base.String(), "weights": old}
		}
		return s.d.Audit.Record(ctx, tx, e)
	})
}
