package prices

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ObservationView is an observation with the names a reviewer needs.
type ObservationView struct {
	Observation
	MarketCode, MarketName string
	MarketUnit             string
	CommodityCode          string
	CommodityName, Unit    string
	TraderName             string
	Previous               *float64
}

// ReviewFilter selects observations for the review queue.
type ReviewFilter struct {
	// Status is "" for those awaiting review (pending and flagged),
	// "all", or one status.
	Status string
	Market string // code, "" for all
	Day    string // "" for any
	Limit  int
}

const viewColumns = `o.id, o.day, o.market_id, o.commodity_id, o.trader_id, o.price, o.status, o.reason, o.source, o.entered_by, o.created_at,
	mk.code, mk.name, mk.unit_code, c.code, c.name, c.variety, c.unit, COALESCE(t.name, '')`

const viewFrom = ` FROM price_observations o
	JOIN price_markets mk ON mk.id = o.market_id
	JOIN price_commodities c ON c.id = o.commodity_id
	LEFT JOIN price_traders t ON t.id = o.trader_id`

func scanView(sc interface{ Scan(...any) error }) (ObservationView, error) {
	var v ObservationView
	var trader, by sql.NullInt64
	var variety string
	err := sc.Scan(&v.ID, &v.Day, &v.MarketID, &v.CommodityID, &trader, &v.Price, &v.Status, &v.Reason, &v.Source, &by, database.T(&v.CreatedAt),
		&v.MarketCode, &v.MarketName, &v.MarketUnit, &v.CommodityCode, &v.CommodityName, &variety, &v.Unit, &v.TraderName)
	if trader.Valid {
		v.TraderID = &trader.Int64
	}
	v.EnteredBy = by.Int64
	v.CommodityName = Commodity{Name: v.CommodityName, Variety: variety}.Label()
	return v, err
}

// ReviewQueue lists enumerators' entries in the markets the actor may
// review, newest first, with each one's previous price.
func (s *Store) ReviewQueue(ctx context.Context, a Actor, f ReviewFilter) ([]ObservationView, error) {
	tree, err := s.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	markets, err := s.Markets(ctx, false)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range markets {
		if a.P.Can(permApprove, m.UnitCode, tree) && (f.Market == "" || f.Market == m.Code) {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	where := []string{`o.source = 'entry'`, `o.market_id IN (` + idList(ids) + `)`}
	var args []any
	switch f.Status {
	case "":
		where = append(where, `o.status IN ('pending', 'flagged')`)
	case "all":
	default:
		args = append(args, f.Status)
		where = append(where, fmt.Sprintf(`o.status = $%d`, len(args)))
	}
	if f.Day != "" {
		args = append(args, f.Day)
		where = append(where, fmt.Sprintf(`o.day = $%d`, len(args)))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+viewColumns+viewFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY o.status = 'flagged' DESC, o.day DESC, o.id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, err
	}
	var out []ObservationView
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		v := &out[i]
		var trader int64
		if v.TraderID != nil {
			trader = *v.TraderID
		}
		if v.Previous, err = s.previousPrice(ctx, s.db, v.MarketID, v.CommodityID, trader, v.Day, v.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HistoryEntry is one step of an observation's history.
type HistoryEntry struct {
	Action             string
	OldPrice, NewPrice *float64
	Note               string
	ActorName          string
	At                 time.Time
}

// ObservationDetail returns one observation with its history, for a reviewer
// allowed on its market (ErrForbidden otherwise).
func (s *Store) ObservationDetail(ctx context.Context, a Actor, id int64) (ObservationView, []HistoryEntry, error) {
	v, err := scanView(s.db.QueryRowContext(ctx, `SELECT `+viewColumns+viewFrom+` WHERE o.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil, ErrNotFound
	}
	if err != nil {
		return v, nil, err
	}
	tree, err := s.d.Units.Tree(ctx)
	if err != nil {
		return v, nil, err
	}
	if !a.P.Can(permApprove, v.MarketUnit, tree) {
		return v, nil, ErrForbidden
	}
	var trader int64
	if v.TraderID != nil {
		trader = *v.TraderID
	}
	if v.Previous, err = s.previousPrice(ctx, s.db, v.MarketID, v.CommodityID, trader, v.Day, v.ID); err != nil {
		return v, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT action, old_price, new_price, note, actor_name, acted_at
		FROM price_observation_history WHERE observation_id = $1 ORDER BY id`, id)
	if err != nil {
		return v, nil, err
	}
	defer rows.Close()
	var hist []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var oldP, newP sql.NullFloat64
		if err := rows.Scan(&h.Action, &oldP, &newP, &h.Note, &h.ActorName, database.T(&h.At)); err != nil {
			return v, nil, err
		}
		if oldP.Valid {
			h.OldPrice = &oldP.Float64
		}
		if newP.Valid {
			h.NewPrice = &newP.Float64
		}
		hist = append(hist, h)
	}
	return v, hist, rows.Err()
}

// Review actions.
const (
	ActionApprove = "approved"
	ActionCorrect = "corrected"
	ActionReject  = "rejected"
)

// Review approves, corrects (with a new price) or rejects an entered
// observation, keeping the old price in its history. Correcting and
// rejecting need a note saying why; both change the aggregates and so
// the index.
func (s *Store) Review(ctx context.Context, a Actor, id int64, action string, newPrice float64, note string) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return fieldErr("note", "prices.err.too_long")
	}
	switch action {
	case ActionApprove:
	case ActionCorrect:
		if !(newPrice > 0) || newPrice > maxPrice || math.IsInf(newPrice, 0) {
			return fieldErr("price", "prices.err.price")
		}
		fallthrough
	case ActionReject:
		if note == "" {
			return fieldErr("note", "prices.err.note_required")
		}
	default:
		return fmt.Errorf("prices: unknown review action %q", action)
	}
	tree, err := s.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		v, err := scanView(tx.QueryRowContext(ctx, `SELECT `+viewColumns+viewFrom+` WHERE o.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !a.P.Can(permApprove, v.MarketUnit, tree) {
			return ErrForbidden
		}
		if v.EnteredBy != 0 && a.P != nil && a.P.UserID == v.EnteredBy {
			// Four eyes: one holding both rights reviews others' entries.
			return fieldErr("status", "prices.err.own_entry")
		}
		if v.Status == StatusRejected || action == ActionApprove && v.Status != StatusPending && v.Status != StatusFlagged {
			return fieldErr("status", "prices.err.review_state")
		}
		now := s.now()
		price := v.Price
		if action == ActionCorrect {
			price = newPrice
		}
		if _, err := tx.ExecContext(ctx, `UPDATE price_observations SET status = $2, price = $3, reviewed_by = $4, reviewed_at = $5 WHERE id = $1`,
			id, action, price, a.userID(), now); err != nil {
			return err
		}
		var oldP, newP any
		if action == ActionCorrect {
			oldP, newP = v.Price, newPrice
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_observation_history (observation_id, action, old_price, new_price, note, actor_id, actor_name, acted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, action, oldP, newP, note, a.userID(), a.name(), now); err != nil {
			return err
		}
		if err := s.d.Audit.Record(ctx, tx, audit.Entry{Actor: a.audit(), Action: "price_observation." + action, ObjectType: "price_observation",
			ObjectID: itoa(id), Before: map[string]any{"price": v.Price, "status": v.Status},
			After: map[string]any{"price": price, "status": action}, Note: note}); err != nil {
			return err
		}
		if action == ActionApprove {
			return nil
		}
		return s.afterPriceWrite(ctx, tx, []int64{v.CommodityID}, v.Day, v.Day)
	})
}
