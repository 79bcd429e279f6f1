package health

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/growth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// measurement is one weighing/measuring of a child with what was
// computed from it.
type measurement struct {
	ID         int64
	PatientID  int64
	PKM        string
	Kelurahan  string
	PosyanduID int64 // 0: at the puskesmas
	MeasuredOn time.Time
	AgeDays    int
	Sex        string
	WeightKg   *float64
	LenHeiCm   *float64
	Position   growth.Position
	Oedema     bool
	MUACCm     *float64
	HeadCm     *float64
	Res        growth.Result
	Cats       growth.Categories
	Gain       string
	TwoT       bool
}

// growthSex converts the registry's sex to the growth package's.
func growthSex(s string) growth.Sex {
	if s == "female" {
		return growth.Female
	}
	return growth.Male
}

// isStunted, isWasted, isUnderweight: the Permenkes categories counted in
// the prevalences (moderate and severe together).
func isStunted(c growth.Category) bool { return c == growth.Stunted || c == growth.SeverelyStunted }
func isWasted(c growth.Category) bool  { return c == growth.Wasted || c == growth.SeverelyWasted }
func isUnderweight(c growth.Category) bool {
	return c == growth.Underweight || c == growth.SeverelyUnderweight
}

// assessed reports whether a category counts in a prevalence's
// denominator: computed, and not flagged implausible (WHO Anthro leaves
// flagged values out of prevalences).
func assessed(c growth.Category) bool { return c != growth.NotAssessed && c != growth.Implausible }

// needsFollowUp: stunted, wasted, or two weighings in a row without the
// minimum gain (2T).
func (ms measurement) needsFollowUp() bool {
	return isStunted(ms.Cats.Stunting) || isWasted(ms.Cats.Wasting) || ms.TwoT
}

// statDelta is a measurement's contribution to the monthly prevalence
// counts (health_growth_stats), signed.
type statDelta struct {
	Month, Kelurahan, PKM                  string
	Measured, Stunted, Wasted, Underweight int
	HAZMeasured, WHZMeasured, WAZMeasured  int
}

func contribution(month, kel, pkm string, c growth.Categories, sign int) statDelta {
	b := func(ok bool) int {
		if ok {
			return sign
		}
		return 0
	}
	return statDelta{Month: month, Kelurahan: kel, PKM: pkm, Measured: sign,
		Stunted: b(isStunted(c.Stunting)), Wasted: b(isWasted(c.Wasting)), Underweight: b(isUnderweight(c.Underweight)),
		HAZMeasured: b(assessed(c.Stunting)), WHZMeasured: b(assessed(c.Wasting)), WAZMeasured: b(assessed(c.Underweight))}
}

func (d statDelta) add(o statDelta) statDelta {
	d.Measured += o.Measured
	d.Stunted += o.Stunted
	d.Wasted += o.Wasted
	d.Underweight += o.Underweight
	d.HAZMeasured += o.HAZMeasured
	d.WHZMeasured += o.WHZMeasured
	d.WAZMeasured += o.WAZMeasured
	return d
}

const upsertStats = `INSERT INTO health_growth_stats (month, kelurahan_code, puskesmas_code, measured, stunted, wasted, underweight,
	haz_measured, whz_measured, waz_measured) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (month, kelurahan_code, puskesmas_code) DO UPDATE SET measured = health_growth_stats.measured + excluded.measured,
	stunted = health_growth_stats.stunted + excluded.stunted, wasted = health_growth_stats.wasted + excluded.wasted,
	underweight = health_growth_stats.underweight + excluded.underweight, haz_measured = health_growth_stats.haz_measured + excluded.haz_measured,
	whz_measured = health_growth_stats.whz_measured + excluded.whz_measured, waz_measured = health_growth_stats.waz_measured + excluded.waz_measured`

func applyStats(ctx context.Context, tx *sql.Tx, d statDelta) error {
	_, err := tx.ExecContext(ctx, upsertStats, d.Month, d.Kelurahan, d.PKM, d.Measured, d.Stunted, d.Wasted, d.Underweight,
		d.HAZMeasured, d.WHZMeasured, d.WAZMeasured)
	return err
}

// gainSeries fills Gain and TwoT of a child's measurements, given in
// date order: each weighing against the one before it.
func gainSeries(ms []measurement) {
	prev := -1
	lastGain := ""
	for i := range ms {
		cur := &ms[i]
		cur.TwoT = false
		if cur.WeightKg == nil || cur.Oedema {
			cur.Gain = gainNoWeight
			continue
		}
		if prev < 0 {
			cur.Gain = gainFirst
		} else {
			cur.Gain = judgeGain(ms[prev].AgeDays, cur.AgeDays, *ms[prev].WeightKg, *cur.WeightKg)
		}
		cur.TwoT = cur.Gain == gainNotUp && lastGain == gainNotUp
		lastGain = cur.Gain
		prev = i
	}
}

func flagString(fs []growth.Flag) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f)
	}
	return strings.Join(parts, ";")
}

// addMeasurement stores a measurement of a child and keeps the derived
// data in step, in one transaction: the weight gains of the child's
// series from this date on, the child's latest measurement, and the
// month's prevalence counts (a child counts once a month, with its last
// measurement of the month).
func (m *Module) addMeasurement(ctx context.Context, ms measurement) (int64, error) {
	month := ms.MeasuredOn.Format("2006-01")
	now := database.TimeArg(m.d.Clock.Now())
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		var posyandu any
		if ms.PosyanduID != 0 {
			posyandu = ms.PosyanduID
		}
		r := ms.Res
		if err := tx.QueryRowContext(ctx, `INSERT INTO health_measurements (patient_id, puskesmas_code, kelurahan_code, posyandu_id, measured_on,
			month, age_days, sex, weight_kg, lenhei_cm, position, oedema, muac_cm, head_cm, lenhei_adj_cm, haz, waz, whz, baz, flags, stunting,
			wasting, underweight, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23, $24) RETURNING id`, ms.PatientID, ms.PKM, ms.Kelurahan, posyandu, ms.MeasuredOn.Format(database.DateLayout), month,
			ms.AgeDays, ms.Sex, ms.WeightKg, ms.LenHeiCm, string(ms.Position), ms.Oedema, ms.MUACCm, ms.HeadCm, r.LenHeiAdjustedCm, r.HAZ, r.WAZ,
			r.WHZ, r.BAZ, flagString(r.Flags), string(ms.Cats.Stunting), string(ms.Cats.Wasting), string(ms.Cats.Underweight), now).Scan(&ms.ID); err != nil {
			return err
		}
		series, err := loadSeries(ctx, tx, ms.PatientID)
		if err != nil {
			return err
		}
		before := map[int64][2]any{}
		for _, s := range series {
			before[s.ID] = [2]any{s.Gain, s.TwoT}
		}
		gainSeries(series)
		for _, s := range series {
			if b := before[s.ID]; b[0] != s.Gain || b[1] != s.TwoT {
				if _, err := tx.ExecContext(ctx, `UPDATE health_measurements SET gain = $2, two_t = $3 WHERE id = $1`, s.ID, s.Gain, s.TwoT); err != nil {
					return err
				}
			}
		}
		// The month's counted measurement: the last one of the month.
		var counted *measurement
		for i := range series {
			if series[i].MeasuredOn.Format("2006-01") == month && series[i].ID != ms.ID {
				counted = &series[i]
			}
		}
		isLast := counted == nil || !ms.MeasuredOn.Before(counted.MeasuredOn)
		if isLast {
			if counted != nil {
				if err := applyStats(ctx, tx, contribution(month, counted.Kelurahan, counted.PKM, counted.Cats, -1)); err != nil {
					return err
				}
			}
			if err := applyStats(ctx, tx, contribution(month, ms.Kelurahan, ms.PKM, ms.Cats, 1)); err != nil {
				return err
			}
		}
		return upsertLatest(ctx, tx, series[len(series)-1])
	})
	return ms.ID, err
}

// loadSeries reads a child's measurements in date order (a child under
// five has at most a few dozen).
func loadSeries(ctx context.Context, q database.Querier, patientID int64) ([]measurement, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, puskesmas_code, kelurahan_code, COALESCE(posyandu_id, 0), measured_on, age_days, sex, weight_kg,
		lenhei_cm, position, oedema, muac_cm, head_cm, lenhei_adj_cm, haz, waz, whz, baz, flags, stunting, wasting, underweight, gain, two_t
		FROM health_measurements WHERE patient_id = $1 ORDER BY measured_on, id`, patientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measurement
	for rows.Next() {
		var ms measurement
		var day, pos, flags, st, wa, un string
		var w, h, muac, head, adj, haz, waz, whz, baz sql.NullFloat64
		if err := rows.Scan(&ms.ID, &ms.PKM, &ms.Kelurahan, &ms.PosyanduID, &day, &ms.AgeDays, &ms.Sex, &w, &h, &pos, &ms.Oedema, &muac, &head,
			&adj, &haz, &waz, &whz, &baz, &flags, &st, &wa, &un, &ms.Gain, &ms.TwoT); err != nil {
			return nil, err
		}
		ms.PatientID = patientID
		ms.MeasuredOn, _ = time.Parse(database.DateLayout, day)
		ms.WeightKg, ms.LenHeiCm, ms.MUACCm, ms.HeadCm = nullFloat(w), nullFloat(h), nullFloat(muac), nullFloat(head)
		ms.Position = growth.Position(pos)
		ms.Res = growth.Result{HAZ: nullFloat(haz), WAZ: nullFloat(waz), WHZ: nullFloat(whz), BAZ: nullFloat(baz), LenHeiAdjustedCm: nullFloat(adj),
			Oedema: ms.Oedema}
		if flags != "" {
			for _, f := range strings.Split(flags, ";") {
				ms.Res.Flags = append(ms.Res.Flags, growth.Flag(f))
			}
		}
		ms.Cats = growth.Categories{Stunting: growth.Category(st), Wasting: growth.Category(wa), Underweight: growth.Category(un)}
		out = append(out, ms)
	}
	return out, rows.Err()
}

// followDelta is a child's contribution to health_followup_counts.
type followDelta struct {
	Kelurahan, PKM                  string
	Children, Stunted, Wasted, TwoT int
}

func followContribution(kel, pkm string, stunting, wasting growth.Category, twoT bool, sign int) followDelta {
	b := func(ok bool) int {
		if ok {
			return sign
		}
		return 0
	}
	return followDelta{Kelurahan: kel, PKM: pkm, Children: sign, Stunted: b(isStunted(stunting)), Wasted: b(isWasted(wasting)), TwoT: b(twoT)}
}

func (d followDelta) add(o followDelta) followDelta {
	d.Children += o.Children
	d.Stunted += o.Stunted
	d.Wasted += o.Wasted
	d.TwoT += o.TwoT
	return d
}

const upsertFollowCounts = `INSERT INTO health_followup_counts (kelurahan_code, puskesmas_code, children, stunted, wasted, two_t)
	VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kelurahan_code, puskesmas_code) DO UPDATE SET
	children = health_followup_counts.children + excluded.children, stunted = health_followup_counts.stunted + excluded.stunted,
	wasted = health_followup_counts.wasted + excluded.wasted, two_t = health_followup_counts.two_t + excluded.two_t`

func applyFollowCounts(ctx context.Context, tx *sql.Tx, d followDelta) error {
	_, err := tx.ExecContext(ctx, upsertFollowCounts, d.Kelurahan, d.PKM, d.Children, d.Stunted, d.Wasted, d.TwoT)
	return err
}

const upsertLatestSQL = `INSERT INTO health_growth_latest (patient_id, measurement_id, puskesmas_code, kelurahan_code, measured_on, age_days,
	haz, waz, whz, stunting, wasting, underweight, two_t, follow_up) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
	ON CONFLICT (patient_id) DO UPDATE SET measurement_id = excluded.measurement_id, puskesmas_code = excluded.puskesmas_code,
	kelurahan_code = excluded.kelurahan_code, measured_on = excluded.measured_on, age_days = excluded.age_days, haz = excluded.haz,
	waz = excluded.waz, whz = excluded.whz, stunting = excluded.stunting, wasting = excluded.wasting, underweight = excluded.underweight,
	two_t = excluded.two_t, follow_up = excluded.follow_up`

// upsertLatest makes ms the child's latest measurement and moves the
// child in or out of the follow-up counts.
func upsertLatest(ctx context.Context, tx *sql.Tx, ms measurement) error {
	var kel, pkm, stunting, wasting string
	var twoT, follow bool
	err := tx.QueryRowContext(ctx, `SELECT kelurahan_code, puskesmas_code, stunting, wasting, two_t, follow_up FROM health_growth_latest
		WHERE patient_id = $1`, ms.PatientID).Scan(&kel, &pkm, &stunting, &wasting, &twoT, &follow)
	switch {
	case err == nil && follow:
		if err := applyFollowCounts(ctx, tx, followContribution(kel, pkm, growth.Category(stunting), growth.Category(wasting), twoT, -1)); err != nil {
			return err
		}
	case err != nil && err != sql.ErrNoRows:
		return err
	}
	if ms.needsFollowUp() {
		if err := applyFollowCounts(ctx, tx, followContribution(ms.Kelurahan, ms.PKM, ms.Cats.Stunting, ms.Cats.Wasting, ms.TwoT, 1)); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, upsertLatestSQL, ms.PatientID, ms.ID, ms.PKM, ms.Kelurahan, ms.MeasuredOn.Format(database.DateLayout), ms.AgeDays,
		ms.Res.HAZ, ms.Res.WAZ, ms.Res.WHZ, string(ms.Cats.Stunting), string(ms.Cats.Wasting), string(ms.Cats.Underweight), ms.TwoT,
		ms.needsFollowUp())
	return err
}
