package health

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/growth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Each generated child has a latent length-for-age z-score around NTT's
// level (Riskesdas/SSGI put stunting in Kota Kupang and NTT at 30–40 %:
// mean HAZ −1.45, SD 1.05 gives about 32 % below −2) and a latent
// weight-for-length z-score (mean −0.55: wasting near 10 %). Each
// weighing adds measurement noise, so some months show no weight gain
// (T, and 2T when twice in a row).
const (
	demoHAZMean, demoHAZSD = -1.45, 1.05
	demoWHZMean, demoWHZSD = -0.55, 0.95
)

// children makes mothers, their children and the children's monthly
// posyandu weighings, with the latest-measurement rows and the monthly
// prevalence counts, in batches so that scale volumes stream.
func (g *generator) children(ctx context.Context) error {
	stats := map[statKey]statDelta{}
	follow := map[[2]string]followDelta{}
	const batch = 2000
	for start := 0; start < g.vol.Children; start += batch {
		n := min(batch, g.vol.Children-start)
		pb := g.patientBulk()
		mb := newBulk(g.m.d.DB.Dialect, "health_measurements", "id", "patient_id", "puskesmas_code", "kelurahan_code", "posyandu_id", "measured_on", "month",
			"age_days", "sex", "weight_kg", "lenhei_cm", "position", "oedema", "muac_cm", "head_cm", "lenhei_adj_cm", "haz", "waz", "whz", "baz",
			"flags", "stunting", "wasting", "underweight", "gain", "two_t", "created_at")
		lb := newBulk(g.m.d.DB.Dialect, "health_growth_latest", "patient_id", "measurement_id", "puskesmas_code", "kelurahan_code", "measured_on", "age_days",
			"haz", "waz", "whz", "stunting", "wasting", "underweight", "two_t", "follow_up")
		for i := range n {
			if err := g.child(pb, mb, lb, start+i, stats, follow); err != nil {
				return err
			}
		}
		err := g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
			for _, b := range []*bulk{pb, mb, lb} {
				if err := b.flush(ctx, tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range stats {
			if err := applyStats(ctx, tx, d); err != nil {
				return err
			}
		}
		for _, d := range follow {
			if err := applyFollowCounts(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

type statKey struct{ month, kel, pkm string }

// child generates one mother and child with the child's series.
func (g *generator) child(pb, mb, lb *bulk, i int, stats map[statKey]statDelta, follow map[[2]string]followDelta) error {
	u := g.pkms[i%len(g.pkms)]
	kel := u.ServiceArea[g.rng.IntN(len(u.ServiceArea))]
	posyandu := int64(0)
	if ps := g.posyandu[kel]; len(ps) > 0 {
		posyandu = ps[g.rng.IntN(len(ps))]
	}
	// The posyandu meets on the same day every month.
	meetDay := 5 + int(posyandu%20)
	mother := person{id: g.ids.patient, sex: "female", birth: g.today.AddDate(-(19 + g.rng.IntN(23)), 0, -g.rng.IntN(365)), kelurahan: kel}
	g.ids.patient++
	motherNIK := g.nik("female", mother.birth, kel)
	motherName := g.name("female")
	if err := g.addPatient(pb, u.Code, mother, motherName, motherNIK, 0, "", ""); err != nil {
		return err
	}
	sex := "male"
	if g.rng.IntN(2) == 0 {
		sex = "female"
	}
	ageDays := g.rng.IntN(growth.MaxAgeDays - 20)
	if g.vol.Complete {
		// Old enough for every monthly weighing, young enough that the
		// earliest is the first month of life.
		minAge := g.vol.Months*31 + 14
		ageDays = minAge + g.rng.IntN(max(1, growth.MaxAgeDays-minAge-20))
	}
	birth := g.today.AddDate(0, 0, -ageDays)
	kid := person{id: g.ids.patient, sex: sex, birth: birth, kelurahan: kel}
	g.ids.patient++
	nik := ""
	if ageDays > 365 || g.rng.IntN(3) == 0 {
		nik = g.nik(sex, birth, kel)
	}
	given := g.pick(maleNames)
	if sex == "female" {
		given = g.pick(femaleNames)
	}
	if err := g.addPatient(pb, u.Code, kid, given+" "+g.pick(familyNames), nik, mother.id, motherNIK, motherName); err != nil {
		return err
	}

	haz := demoHAZMean + demoHAZSD*g.rng.NormFloat64()
	whz := demoWHZMean + demoWHZSD*g.rng.NormFloat64()
	gs := growthSex(sex)
	var series []measurement
	first := time.Date(g.today.Year(), g.today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -g.vol.Months, 0)
	last := g.vol.Months // this month too, if its posyandu day has passed
	if g.vol.Complete {
		last-- // the Months months before this one
	}
	for k := 0; k <= last; k++ {
		month := first.AddDate(0, k, 0)
		day := time.Date(month.Year(), month.Month(), meetDay, 0, 0, 0, 0, time.UTC)
		age := ageDaysOn(birth, day)
		if !day.Before(g.today) || age < 14 || age > growth.MaxAgeDays || !g.vol.Complete && g.rng.IntN(10) == 0 {
			continue // not born yet, too old, or missed this month
		}
		ms := g.measure(gs, age, haz+0.12*g.rng.NormFloat64(), whz+0.35*g.rng.NormFloat64())
		ms.ID, ms.PatientID, ms.PKM, ms.Kelurahan, ms.PosyanduID, ms.MeasuredOn, ms.Sex = g.ids.meas, kid.id, u.Code, kel, posyandu, day, sex
		g.ids.meas++
		series = append(series, ms)
	}
	gainSeries(series)
	for _, ms := range series {
		r := ms.Res
		mb.add(ms.ID, ms.PatientID, ms.PKM, ms.Kelurahan, nullID(ms.PosyanduID), ms.MeasuredOn.Format(database.DateLayout), ms.MeasuredOn.Format("2006-01"),
			ms.AgeDays, ms.Sex, ms.WeightKg, ms.LenHeiCm, string(ms.Position), ms.Oedema, ms.MUACCm, ms.HeadCm, r.LenHeiAdjustedCm, r.HAZ, r.WAZ, r.WHZ,
			r.BAZ, flagString(r.Flags), string(ms.Cats.Stunting), string(ms.Cats.Wasting), string(ms.Cats.Underweight), ms.Gain, ms.TwoT, g.now)
		k := statKey{ms.MeasuredOn.Format("2006-01"), ms.Kelurahan, ms.PKM}
		stats[k] = stats[k].add(contribution(k.month, k.kel, k.pkm, ms.Cats, 1))
		d := stats[k]
		d.Month, d.Kelurahan, d.PKM = k.month, k.kel, k.pkm
		stats[k] = d
	}
	if len(series) > 0 {
		ms := series[len(series)-1]
		lb.add(ms.PatientID, ms.ID, ms.PKM, ms.Kelurahan, ms.MeasuredOn.Format(database.DateLayout), ms.AgeDays, ms.Res.HAZ, ms.Res.WAZ, ms.Res.WHZ,
			string(ms.Cats.Stunting), string(ms.Cats.Wasting), string(ms.Cats.Underweight), ms.TwoT, ms.needsFollowUp())
		if ms.needsFollowUp() {
			k := [2]string{ms.Kelurahan, ms.PKM}
			d := follow[k].add(followContribution(ms.Kelurahan, ms.PKM, ms.Cats.Stunting, ms.Cats.Wasting, ms.TwoT, 1))
			d.Kelurahan, d.PKM = ms.Kelurahan, ms.PKM
			follow[k] = d
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// measure turns latent z-scores into what a kader would write down
// (length to 0.1 cm lying under two years, standing after; weight to
// 0.1 kg; a mid-upper arm circumference from six months) and assesses it
// with the WHO engine, like a real entry.
func (g *generator) measure(sex growth.Sex, age int, haz, whz float64) measurement {
	hfa := g.curves[curveKey{growth.LengthHeightForAge, sex}]
	length := math.Round(valueAt(hfa[min(age, len(hfa)-1)], haz)*10) / 10
	pos := growth.Lying
	ind := growth.WeightForLength
	if age >= 731 {
		pos, ind = growth.Standing, growth.WeightForHeight
	}
	wfl := g.curves[curveKey{ind, sex}]
	idx := int(math.Round(length*10)) - int(math.Round(wfl[0].X*10))
	idx = max(0, min(idx, len(wfl)-1))
	weight := math.Round(valueAt(wfl[idx], whz)*10) / 10
	weight = math.Max(growth.MinWeightKg, math.Min(growth.MaxWeightKg, weight))
	length = math.Max(growth.MinLenHeiCm, math.Min(growth.MaxLenHeiCm, length))
	ms := measurement{AgeDays: age, WeightKg: &weight, LenHeiCm: &length, Position: pos}
	if age >= 183 {
		muac := math.Round((14.5+whz*0.9+0.3*g.rng.NormFloat64())*10) / 10
		ms.MUACCm = &muac
	}
	res, err := growth.Assess(growth.Input{Sex: sex, AgeDays: age, WeightKg: &weight, LenHeiCm: &length, Position: pos})
	if err != nil {
		// Clamped above to Assess's bounds, so this cannot happen; a
		// measurement without z-scores is still a valid record.
		res = growth.Result{}
	}
	ms.Res, ms.Cats = res, growth.Categorize(res)
	return ms
}

// stock books a year of monthly deliveries and the month's dispensing
// for every puskesmas, so the stock page and the LPLPO have history.
func (g *generator) stock(ctx context.Context) error {
	return g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		b := newBulk(g.m.d.DB.Dialect, "health_stock_moves", "puskesmas_code", "drug_code", "day", "month", "kind", "qty", "note", "created_at")
		sb := newBulk(g.m.d.DB.Dialect, "health_stock", "puskesmas_code", "drug_code", "qty")
		months := max(1, g.vol.Days/30)
		for _, u := range g.pkms {
			for di, dr := range defaultDrugs {
				use := 40 + (di*37+len(u.Code)*11)%400
				held := 0
				for k := months; k >= 0; k-- {
					first := time.Date(g.today.Year(), g.today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -k, 0)
					got := int(float64(use)*(1.1+0.3*g.rng.Float64())) + 10
					b.add(u.Code, dr.Code, first.AddDate(0, 0, 2).Format(database.DateLayout), first.Format("2006-01"), "receipt", got,
						fmt.Sprintf("SBBK IFK/%s/%03d", first.Format("2006-01"), di+1), g.now)
					held += got
					if k == 0 {
						break // the current month's use is dispensed visit by visit
					}
					used := min(held, int(float64(use)*(0.8+0.4*g.rng.Float64())))
					b.add(u.Code, dr.Code, first.AddDate(0, 1, -1).Format(database.DateLayout), first.Format("2006-01"), "dispense", -used,
						"rekap pemakaian bulanan", g.now)
					held -= used
				}
				sb.add(u.Code, dr.Code, held)
			}
		}
		if err := b.flush(ctx, tx); err != nil {
			return err
		}
		return sb.flush(ctx, tx)
	})
}

// todaysQueues gives every puskesmas a morning's queue through the real
// code paths: numbers taken, some called.
func (g *generator) todaysQueues(ctx context.Context) error {
	for _, u := range g.pkms {
		polis, err := g.m.polis(ctx, u.Code)
		if err != nil {
			return err
		}
		people := g.people[u.Code]
		for i := range 8 {
			p := people[g.rng.IntN(len(people))]
			pt, err := g.m.getPatient(ctx, p.id)
			if err != nil {
				return err
			}
			if _, _, err := g.m.takeNumber(ctx, pt, u.Code, polis[i%2].Code, "bpjs"); err != nil {
				return err
			}
		}
		for _, pl := range polis[:2] {
			if _, err := g.m.callNext(ctx, u.Code, pl.Code); err != nil {
				return err
			}
		}
	}
	return nil
}
