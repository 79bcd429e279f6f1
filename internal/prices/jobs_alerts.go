package prices

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// Alert kinds.
const (
	// AlertWeeklyRise: the week's price rose more than
	// Settings.WeeklyRisePct over the week before.
	AlertWeeklyRise = "weekly_rise"
	// AlertAboveReference: the day's price is above the HET/HAP.
	AlertAboveReference = "above_reference"
)

// Alert is an early-warning alert.
type Alert struct {
	ID          int64
	CommodityID int64
	Commodity   Commodity
	Kind        string
	Period      string // ISO week, 2026-W49
	Day         string
	Price       float64 // the week's (weekly_rise) or the day's price
	Compared    float64 // the previous week's price, or the reference
	ChangePct   float64
	RefKind     string
	CreatedAt   time.Time
}

// freshness: the early warning looks at the newest prices only if they
// are at most this many days old; stale data raises no alerts about a
// week long past.
const freshness = 7

// isoWeek names the ISO week of a day, the period of an alert.
func isoWeek(day string) string {
	t, _ := time.Parse(database.DateLayout, day)
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// WeeklyChange is a commodity's week-on-week change: the geometric mean
// of its city prices over the seven days ending on Day, against the seven
// days before.
type WeeklyChange struct {
	Commodity          Commodity
	ThisWeek, LastWeek float64
	ChangePct          float64
	HasThis, HasLast   bool
	DayPrice           float64 // the city price on Day itself
	HasDay             bool
	Reference          *Reference
}

// WeeklyChanges computes every active commodity's weekly change up to day.
func (s *Store) WeeklyChanges(ctx context.Context, day string) ([]WeeklyChange, error) {
	comms, err := s.Commodities(ctx, true)
	if err != nil {
		return nil, err
	}
	refs, err := s.References(ctx)
	if err != nil {
		return nil, err
	}
	first := addDays(day, -13)
	split := addDays(day, -6)
	rows, err := s.db.QueryContext(ctx, `SELECT commodity_id, day, sum_log, n, min_price, max_price FROM price_day_city
		WHERE day >= $1 AND day <= $2`, first, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	this, last, today := map[int64]*cell{}, map[int64]*cell{}, map[int64]cell{}
	for rows.Next() {
		var id int64
		var d string
		var c cell
		if err := rows.Scan(&id, &d, &c.SumLog, &c.N, &c.Min, &c.Max); err != nil {
			return nil, err
		}
		target := last
		if d >= split {
			target = this
		}
		if target[id] == nil {
			target[id] = &cell{}
		}
		target[id].add(c)
		if d == day {
			today[id] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]WeeklyChange, 0, len(comms))
	for _, c := range comms {
		w := WeeklyChange{Commodity: c}
		if t := this[c.ID]; t != nil {
			w.ThisWeek, w.HasThis = t.mean()
		}
		if l := last[c.ID]; l != nil {
			w.LastWeek, w.HasLast = l.mean()
		}
		if w.HasThis && w.HasLast {
			w.ChangePct = (w.ThisWeek/w.LastWeek - 1) * 100
		}
		w.DayPrice, w.HasDay = today[c.ID].mean()
		if r, ok := referenceOn(refs[c.ID], day); ok {
			w.Reference = &r
		}
		out = append(out, w)
	}
	return out, nil
}

// RunEarlyWarning raises the alerts due on the newest prices: a rise of
// more than Settings.WeeklyRisePct week on week, and a price above its
// HET/HAP. Each alert is raised once per commodity, kind and ISO week and
// sent to every account holding prices.alerts that has an e-mail address;
// the message is queued in the transaction that stores the alert, so it
// goes out exactly when the alert exists.
func (s *Store) RunEarlyWarning(ctx context.Context) error {
	settings, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	var latest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(day) FROM price_day_city WHERE day <= $1`, today).Scan(&latest); err != nil {
		return err
	}
	if !latest.Valid || latest.String < addDays(today, -freshness) {
		return nil
	}
	day := latest.String
	changes, err := s.WeeklyChanges(ctx, day)
	if err != nil {
		return err
	}
	var due []Alert
	for _, w := range changes {
		if w.HasThis && w.HasLast && w.ChangePct > settings.WeeklyRisePct {
			due = append(due, Alert{CommodityID: w.Commodity.ID, Commodity: w.Commodity, Kind: AlertWeeklyRise, Day: day,
				Price: w.ThisWeek, Compared: w.LastWeek, ChangePct: w.ChangePct})
		}
		if w.HasDay && w.Reference != nil && w.DayPrice > w.Reference.Price {
			due = append(due, Alert{CommodityID: w.Commodity.ID, Commodity: w.Commodity, Kind: AlertAboveReference, Day: day,
				Price: w.DayPrice, Compared: w.Reference.Price, ChangePct: (w.DayPrice/w.Reference.Price - 1) * 100, RefKind: w.Reference.Kind})
		}
	}
	if len(due) == 0 {
		return nil
	}
	recipients, err := s.alertRecipients(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, a := range due {
			a.Period = isoWeek(a.Day)
			err := tx.QueryRowContext(ctx, `INSERT INTO price_alerts (commodity_id, kind, period, day, price, compared, change_pct, ref_kind, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (commodity_id, kind, period) DO NOTHING RETURNING id`,
				a.CommodityID, a.Kind, a.Period, a.Day, a.Price, a.Compared, a.ChangePct, a.RefKind, now).Scan(&a.ID)
			if err == sql.ErrNoRows {
				continue // raised earlier this week
			}
			if err != nil {
				return err
			}
			if err := s.d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("job:" + kindAlerts), Action: "price_alert.raised",
				ObjectType: "price_alert", ObjectID: itoa(a.ID), After: map[string]any{"commodity": a.Commodity.Code, "kind": a.Kind,
					"day": a.Day, "price": a.Price, "compared": a.Compared, "change_pct": a.ChangePct}}); err != nil {
				return err
			}
			subject, body := s.alertMessage(i18n.Default, a)
			for _, to := range recipients {
				if _, err := s.d.Notifier.NotifyTx(ctx, tx, notify.Message{Channel: notify.ChannelEmail, To: to, Subject: subject, Body: body,
					Locale: string(i18n.Default), Tag: "price_alert"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// alertMessage is the text of an alert in a language.
func (s *Store) alertMessage(loc i18n.Locale, a Alert) (subject, body string) {
	cat := s.d.Shell.Catalog()
	name := a.Commodity.Label()
	price, compared := fmtRupiah(loc, a.Price), fmtRupiah(loc, a.Compared)
	pct := fmtPct(loc, a.ChangePct)
	link := s.d.Config.PublicURL() + "/harga/komoditas/" + a.Commodity.Code
	if a.Kind == AlertWeeklyRise {
		return cat.T(loc, "prices.alert.rise_subject", name, pct),
			cat.T(loc, "prices.alert.rise_body", name, a.Commodity.Unit, price, compared, pct, fmtDay(a.Day), link)
	}
	return cat.T(loc, "prices.alert.ref_subject", name, a.RefKind),
		cat.T(loc, "prices.alert.ref_body", name, a.Commodity.Unit, price, a.RefKind, compared, pct, fmtDay(a.Day), link)
}

// alertRecipients are the e-mail addresses of the active staff accounts
// whose roles grant prices.alerts (the TPID).
func (s *Store) alertRecipients(ctx context.Context) ([]string, error) {
	return auth.StaffEmails(ctx, s.db, auth.StaffQuery{Permission: permAlerts})
}

// Alerts lists the newest alerts.
func (s *Store) Alerts(ctx context.Context, limit int) ([]Alert, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.kind, a.period, a.day, a.price, a.compared, a.change_pct, a.ref_kind, a.created_at,
		`+prefixed("c.", commodityColumns)+` FROM price_alerts a JOIN price_commodities c ON c.id = a.commodity_id
		ORDER BY a.created_at DESC, a.id DESC LIMIT `+fmt.Sprint(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		c := &a.Commodity
		if err := rows.Scan(&a.ID, &a.Kind, &a.Period, &a.Day, &a.Price, &a.Compared, &a.ChangePct, &a.RefKind, database.T(&a.CreatedAt),
			&c.ID, &c.Code, &c.Name, &c.Variety, &c.Unit, &c.GroupCode, &c.Category, &c.Active); err != nil {
			return nil, err
		}
		a.CommodityID = c.ID
		out = append(out, a)
	}
	return out, rows.Err()
}
