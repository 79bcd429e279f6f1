package health

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/health/growth"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// volume is how much the generators make.
type volume struct {
	PatientsPerPKM int // patients visits are drawn from, per puskesmas
	Visits         int // visits over Days, all puskesmas together
	Days           int // history length, ending yesterday
	Children       int // children under five, each with a mother
	Months         int // monthly posyandu weighings per child, at most
	// Complete: every child is old enough for all Months weighings and
	// misses none (scale data: exactly Children × Months measurements);
	// otherwise ages spread over 0–5 years and one weighing in ten is
	// missed, as in a real posyandu.
	Complete bool
}

// demoVolume is what serve --demo seeds: a year of visits and a few
// thousand children (about 10 s on SQLite). Tests of this package set
// their own (export_test.go); in any other test binary (the access
// matrix, other modules' tests start demo servers by the dozen) the demo
// is testDemoVolume, so the module does not slow the whole suite down.
var (
	demoVolume     = volume{PatientsPerPKM: 1200, Visits: 80000, Days: 365, Children: 4000, Months: 12}
	testDemoVolume = volume{PatientsPerPKM: 20, Visits: 1500, Days: 60, Children: 200, Months: 6}
	demoVolumeSet  bool // a test chose the volume
)

func demoSize() volume {
	if testing.Testing() && !demoVolumeSet {
		return testDemoVolume
	}
	return demoVolume
}

// scaleVolume is SeedScale's: 200,000 children × 24 measurements and
// 1,000,000 visits at scale 1.
func scaleVolume(scale int) volume {
	return volume{PatientsPerPKM: 9000 * scale, Visits: 1_000_000 * scale, Days: 365, Children: 200_000 * scale, Months: 24, Complete: true}
}

// demoPassword is the demo staff password (docs/demo-accounts.md).
const demoPassword = "demo-kupang-2026"

// SeedDemo implements app.DemoSeeder: staff accounts for every puskesmas,
// Dinas Kesehatan and Brigade Kupang Sehat, a year of visits, drug stock,
// children with growth series, today's queues and past SKDR alerts. The
// data are generated from a fixed seed, so every demo is the same.
func (m *Module) SeedDemo(ctx context.Context, d *app.Deps) error {
	if err := m.demoAccounts(ctx); err != nil {
		return err
	}
	g, err := m.newGenerator(ctx, demoSize(), 2026)
	if err != nil {
		return err
	}
	if err := g.run(ctx); err != nil {
		return err
	}
	if err := g.stock(ctx); err != nil {
		return err
	}
	if err := g.todaysQueues(ctx); err != nil {
		return err
	}
	var weeks []time.Time
	for w := epiWeekStart(g.today.AddDate(0, 0, -g.vol.Days)); w.Before(g.today); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w)
	}
	// Past alerts are recorded without sending: nobody needs a year of
	// e-mails; the hourly job notifies from now on.
	_, err = m.raiseAlerts(ctx, weeks, false)
	return err
}

// SeedScale implements app.ScaleSeeder: city-scale volumes for the
// benchmarks (no accounts, stock or queues).
func (m *Module) SeedScale(ctx context.Context, d *app.Deps, scale int) error {
	if scale < 1 {
		return errors.New("health: scale must be at least 1")
	}
	g, err := m.newGenerator(ctx, scaleVolume(scale), 5371)
	if err != nil {
		return err
	}
	g.serialBase = 5000
	return g.run(ctx)
}

// demoAccounts creates who uses the module in the demo: a health worker
// per puskesmas (pkm.oesapa comes from the identity module's list), Dinas
// Kesehatan's supervisor and a Brigade Kupang Sehat worker.
func (m *Module) demoAccounts(ctx context.Context) error {
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	type acc struct{ user, name, unit, role string }
	list := []acc{{"dinkes.supervisor", "Supervisor Dinas Kesehatan (demo)", dinkesUnit, "supervisor"},
		{"brigade.sehat", "Petugas Brigade Kupang Sehat (demo)", brigadeUnit, "health_staff"}}
	for _, u := range tree.All() {
		if u.Type == units.TypePuskesmas {
			short := strings.ReplaceAll(strings.TrimPrefix(u.Code, "pkm-"), "-", "")
			list = append(list, acc{"pkm." + short, "Petugas " + u.Name + " (demo)", u.Code, "health_staff"})
		}
	}
	for _, a := range list {
		_, err := m.d.Auth.CreateStaff(ctx, nil, auth.NewStaff{Username: a.user, Name: a.name, UnitCode: a.unit, Password: demoPassword, Roles: []string{a.role}})
		var fe *auth.FieldError
		if errors.As(err, &fe) && fe.Code == "user.username_taken" {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo account %s: %w", a.user, err)
		}
	}
	return nil
}

// generator makes deterministic demo or scale data.
type generator struct {
	m        *Module
	vol      volume
	rng      *rand.Rand
	today    time.Time // the city's calendar day
	now      string
	pkms     []units.Unit
	posyandu map[string][]int64 // kelurahan → posyandu ids
	serial   map[string]int     // NIK prefix → last serial
	mrn      map[string]int64   // puskesmas → last medical-record number
	// serialBase separates the NIK serials of the demo (from 0001) and of
	// scale data (from 5001) generated into the same database, so the two
	// never make the same NIK.
	serialBase int
	people     map[string][]person
	ids        struct{ patient, visit, diag, meas int64 }
	curves     map[curveKey][]growth.Point
}

// person is a generated patient.
type person struct {
	id        int64
	sex       string
	birth     time.Time
	kelurahan string
}

func (m *Module) newGenerator(ctx context.Context, vol volume, seed uint64) (*generator, error) {
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	g := &generator{m: m, vol: vol, rng: rand.New(rand.NewPCG(seed, 0x5371)), today: m.today(),
		now: database.TimeArg(m.d.Clock.Now()), posyandu: map[string][]int64{}, serial: map[string]int{}, mrn: map[string]int64{}, people: map[string][]person{},
		curves: map[curveKey][]growth.Point{}}
	for _, u := range tree.All() {
		if u.Type == units.TypePuskesmas && u.Active && len(u.ServiceArea) > 0 {
			g.pkms = append(g.pkms, u)
		}
	}
	sort.Slice(g.pkms, func(i, j int) bool { return g.pkms[i].Code < g.pkms[j].Code })
	for _, u := range g.pkms {
		if g.mrn[u.Code], err = lastMRN(ctx, m.d.DB, u.Code); err != nil {
			return nil, err
		}
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT id, kelurahan_code FROM health_posyandu ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kel string
		if err := rows.Scan(&id, &kel); err != nil {
			return nil, err
		}
		g.posyandu[kel] = append(g.posyandu[kel], id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		dst   *int64
		table string
	}{{&g.ids.patient, "health_patients"}, {&g.ids.visit, "health_visits"}, {&g.ids.diag, "health_diagnoses"}, {&g.ids.meas, "health_measurements"}} {
		if *t.dst, err = nextID(ctx, m.d.DB, t.table); err != nil {
			return nil, err
		}
	}
	for _, ind := range []growth.Indicator{growth.LengthHeightForAge, growth.WeightForLength, growth.WeightForHeight} {
		for _, sex := range []growth.Sex{growth.Male, growth.Female} {
			pts, err := growth.Curve(ind, sex, zGrid)
			if err != nil {
				return nil, err
			}
			g.curves[curveKey{ind, sex}] = pts
		}
	}
	return g, nil
}

// zGrid are the SD lines the generator interpolates between to turn a
// child's latent z-score into a length or a weight.
var zGrid = []float64{-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6}

// valueAt interpolates a curve row at z.
func valueAt(p growth.Point, z float64) float64 {
	z = math.Max(-6, math.Min(6, z))
	i := min(int(z+6), len(zGrid)-2)
	f := z + 6 - float64(i)
	return p.Y[i]*(1-f) + p.Y[i+1]*f
}

func (g *generator) run(ctx context.Context) error {
	if len(g.pkms) == 0 {
		return errors.New("health: no puskesmas with a work area to generate data for")
	}
	if err := g.patients(ctx); err != nil {
		return err
	}
	if err := g.visits(ctx); err != nil {
		return err
	}
	if err := g.children(ctx); err != nil {
		return err
	}
	for _, t := range []string{"health_patients", "health_visits", "health_diagnoses", "health_measurements"} {
		if err := syncSequence(ctx, g.m.d.DB, t); err != nil {
			return err
		}
	}
	// Fresh statistics after a bulk load, so both planners choose the
	// indexes the reads were built for (SQLite has none until asked).
	_, err := g.m.d.DB.ExecContext(ctx, `ANALYZE`)
	return err
}

// Names common in Kupang, for demo records.
var (
	maleNames   = []string{"Yohanes", "Petrus", "Yosef", "Marthen", "Daniel", "Fransiskus", "Agustinus", "Stefanus", "Gabriel", "Arnold", "Melkianus", "Yakobus", "Simon", "Paulus", "Alfred", "Obed", "Ricky", "Jefri", "Novri", "Aldo"}
	femaleNames = []string{"Maria", "Yuliana", "Agustina", "Margaretha", "Elisabeth", "Theresia", "Florida", "Ance", "Yosefina", "Kristina", "Dorkas", "Ester", "Debora", "Serlin", "Meliana", "Oktavia", "Novita", "Imelda", "Selvi", "Yanti"}
	familyNames = []string{"Ndun", "Lay", "Manafe", "Bani", "Fanggidae", "Tanone", "Benu", "Nenobais", "Toelle", "Pah", "Lenggu", "Kana", "Bessie", "Tefa", "Nalle", "Amalo", "Riwu", "Mesakh", "Leo", "Kadja", "Hae", "Tallo", "Foenay", "Sinlae", "Dethan", "Messakh", "Ratu", "Nope"}
	streetNames = []string{"Jl. El Tari", "Jl. Timor Raya", "Jl. Frans Seda", "Jl. Soeharto", "Jl. Cak Doko", "Jl. Sam Ratulangi", "Jl. Perintis Kemerdekaan", "Jl. Adisucipto", "Jl. Bundaran PU", "Jl. Piet Tallo", "Jl. R. A. Kartini", "Jl. Thamrin"}
)

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *generator) name(sex string) string {
	if sex == "female" {
		return g.pick(femaleNames) + " " + g.pick(familyNames)
	}
	return g.pick(maleNames) + " " + g.pick(familyNames)
}

// nik makes a valid, unique NIK for a person (Kota Kupang's kecamatan
// prefix 5371xx, the birth date with +40 for women, a serial).
func (g *generator) nik(sex string, birth time.Time, kelurahan string) string {
	kec := "537101"
	if parts := strings.Split(kelurahan, "."); len(parts) >= 3 {
		kec = parts[0] + parts[1] + parts[2]
	}
	day := birth.Day()
	if sex == "female" {
		day += 40
	}
	prefix := fmt.Sprintf("%s%02d%02d%02d", kec, day, int(birth.Month()), birth.Year()%100)
	g.serial[prefix]++
	return fmt.Sprintf("%s%04d", prefix, g.serialBase+g.serial[prefix])
}

// patientBulk is the column list of generated patients.
func (g *generator) patientBulk() *bulk {
	return newBulk(g.m.d.DB.Dialect, "health_patients", "id", "puskesmas_code", "mrn", "nik_sealed", "nik_index", "nik_masked", "bpjs_sealed", "bpjs_masked",
		"name", "sex", "birth_date", "kelurahan_code", "address", "mother_id", "mother_nik_sealed", "mother_nik_index", "mother_name",
		"created_at", "updated_at")
}

// addPatient generates one patient row; nik "" leaves it without a NIK.
func (g *generator) addPatient(b *bulk, pkm string, p person, name, nik string, motherID int64, motherNIK, motherName string) error {
	s := g.m.d.Sealer
	var nikSealed, motherSealed string
	var nikIndex, motherIndex, mother any
	var err error
	if nik != "" {
		if nikSealed, err = s.Seal(nik); err != nil {
			return err
		}
		nikIndex = s.BlindIndex(nik)
	}
	if motherNIK != "" {
		if motherSealed, err = s.Seal(motherNIK); err != nil {
			return err
		}
		motherIndex = s.BlindIndex(motherNIK)
	}
	if motherID != 0 {
		mother = motherID
	}
	bpjs, bpjsSealed := "", ""
	if g.rng.IntN(10) < 7 {
		bpjs = fmt.Sprintf("000%010d", p.id)
		if bpjsSealed, err = s.Seal(bpjs); err != nil {
			return err
		}
	}
	addr := fmt.Sprintf("%s No. %d, RT %03d/RW %03d", g.pick(streetNames), 1+g.rng.IntN(120), 1+g.rng.IntN(30), 1+g.rng.IntN(10))
	g.mrn[pkm]++
	b.add(p.id, pkm, fmt.Sprintf("%06d", g.mrn[pkm]), nikSealed, nikIndex, idnum.MaskNIK(nik), bpjsSealed, idnum.MaskBPJS(bpjs), name, p.sex,
		p.birth.Format(database.DateLayout), p.kelurahan, addr, mother, motherSealed, motherIndex, motherName, g.now, g.now)
	return nil
}

// patients makes each puskesmas' registered population (ages as a
// puskesmas sees them: many children and older adults).
func (g *generator) patients(ctx context.Context) error {
	return g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		b := g.patientBulk()
		for _, u := range g.pkms {
			for range g.vol.PatientsPerPKM {
				var years int
				switch r := g.rng.Float64(); {
				case r < 0.18:
					years = g.rng.IntN(5)
				case r < 0.33:
					years = 5 + g.rng.IntN(10)
				case r < 0.80:
					years = 15 + g.rng.IntN(45)
				default:
					years = 60 + g.rng.IntN(25)
				}
				birth := g.today.AddDate(-years, 0, -g.rng.IntN(365))
				sex := "male"
				if g.rng.IntN(2) == 0 {
					sex = "female"
				}
				p := person{id: g.ids.patient, sex: sex, birth: birth, kelurahan: u.ServiceArea[g.rng.IntN(len(u.ServiceArea))]}
				g.ids.patient++
				nik := ""
				if years >= 1 || g.rng.IntN(2) == 0 {
					nik = g.nik(sex, birth, p.kelurahan)
				}
				if err := g.addPatient(b, u.Code, p, g.name(sex), nik, 0, "", ""); err != nil {
					return err
				}
				g.people[u.Code] = append(g.people[u.Code], p)
				if len(b.rows) >= 5000 {
					if err := b.flush(ctx, tx); err != nil {
						return err
					}
				}
			}
		}
		return b.flush(ctx, tx)
	})
}

// disease is one diagnosis of the demo's case mix: its weight in the dry
// season, how much more common it is in the rainy season (November–April
// in NTT: ISPA, diarrhoea and dengue rise), its poli and the ages it
// affects.
type disease struct {
	icd            string
	weight, rainy  float64
	poli           string // "" = MTBS under five, else general
	minAge, maxAge int    // years
}

var caseMix = []disease{
	{"J06.9", 22, 1.5, "", 0, 99}, {"J00", 6, 1.4, "", 0, 99}, {"A09.9", 8, 1.7, "", 0, 99}, {"A09.0", 2, 1.7, "", 0, 99},
	{"A91", 0.4, 6, "", 1, 60}, {"A90", 0.5, 5, "", 1, 60}, {"J18.9", 1.5, 1.6, "", 0, 99}, {"R50.9", 4, 1.3, "", 0, 99},
	{"I10", 10, 1, "umum", 35, 99}, {"E11.9", 3, 1, "umum", 35, 99}, {"K29.7", 5, 1, "umum", 15, 99}, {"K30", 4, 1, "umum", 15, 99},
	{"M79.1", 5, 1, "umum", 20, 99}, {"L30.9", 4, 1.1, "", 0, 99}, {"R51", 3, 1, "umum", 10, 99}, {"J45.9", 1.5, 1.2, "", 5, 99},
	{"A16.2", 0.8, 1, "umum", 15, 99}, {"A01.0", 1, 1.4, "umum", 5, 60}, {"H10.9", 1.5, 1, "", 0, 99}, {"N39.0", 1.5, 1, "umum", 15, 99},
	{"B54", 0.2, 2, "", 0, 99}, {"K02.9", 5, 1, "gigi", 3, 99}, {"K04.7", 2, 1, "gigi", 10, 99}, {"Z34", 6, 1, "kia", 18, 40},
	{"Z00.1", 5, 1, "kia", 0, 4}, {"E44.0", 0.6, 1, "", 0, 4},
}

func rainySeason(day time.Time) bool { m := day.Month(); return m >= time.November || m <= time.April }

// seasonFactor: a puskesmas sees more patients in the rainy season.
const seasonFactor = 1.25

// diagnosisFor draws a diagnosis for a patient's age on a day.
func (g *generator) diagnosisFor(ageYears int, sex string, day time.Time) disease {
	var total float64
	rainy := rainySeason(day)
	w := func(d disease) float64 {
		if ageYears < d.minAge || ageYears > d.maxAge || d.icd == "Z34" && sex != "female" {
			return 0
		}
		if rainy {
			return d.weight * d.rainy
		}
		return d.weight
	}
	for _, d := range caseMix {
		total += w(d)
	}
	x := g.rng.Float64() * total
	for _, d := range caseMix {
		if x -= w(d); x < 0 {
			return d
		}
	}
	return caseMix[0]
}

type lb1Key struct{ pkm, month, icd, group, sex string }

// visits makes the history: each working day, each puskesmas sees its
// share of the year's visits (Saturdays half, Sundays closed), with a
// seasonal case mix and its LB1 counts.
func (g *generator) visits(ctx context.Context) error {
	workdays := 0.0
	for d := 1; d <= g.vol.Days; d++ {
		workdays += dayWeight(g.today.AddDate(0, 0, -d))
	}
	workdays *= 1 + (seasonFactor-1)/2 // about half the year is rainy
	perDay := float64(g.vol.Visits) / workdays / float64(len(g.pkms))
	lb1 := map[lb1Key][2]int{}
	vb := newBulk(g.m.d.DB.Dialect, "health_visits", "id", "patient_id", "puskesmas_code", "poli_code", "visit_date", "status", "payer", "sex", "age_days",
		"kelurahan_code", "arrived_at", "started_at", "finished_at", "systolic", "diastolic", "temp_c", "weight_kg", "anamnesis", "actions", "updated_at")
	db := newBulk(g.m.d.DB.Dialect, "health_diagnoses", "id", "visit_id", "patient_id", "puskesmas_code", "icd10", "case_type", "is_primary", "visit_date",
		"month", "week_start", "skdr_code", "sex", "age_group", "created_at")
	flush := func() error {
		return g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
			if err := vb.flush(ctx, tx); err != nil {
				return err
			}
			return db.flush(ctx, tx)
		})
	}
	loc := g.m.d.Location
	for d := g.vol.Days; d >= 1; d-- {
		day := g.today.AddDate(0, 0, -d)
		weight := dayWeight(day)
		if rainySeason(day) {
			weight *= seasonFactor
		}
		if weight == 0 {
			continue
		}
		dayStr, month, week := day.Format(database.DateLayout), day.Format("2006-01"), epiWeekStart(day).Format(database.DateLayout)
		open := time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, loc)
		for _, u := range g.pkms {
			people := g.people[u.Code]
			n := int(perDay*weight*(0.8+0.4*g.rng.Float64()) + 0.5)
			for range n {
				p := people[g.rng.IntN(len(people))]
				age := ageDaysOn(p.birth, day)
				if age < 0 {
					continue
				}
				years := age * 4 / 1461
				dz := g.diagnosisFor(years, p.sex, day)
				poliCode := dz.poli
				if poliCode == "" {
					poliCode = "umum"
					if years < 5 {
						poliCode = "mtbs"
					}
				}
				arrived := open.Add(time.Duration(g.rng.IntN(240)) * time.Minute)
				started := arrived.Add(time.Duration(5+g.rng.IntN(80)) * time.Minute)
				finished := started.Add(time.Duration(5+g.rng.IntN(15)) * time.Minute)
				payer := "bpjs"
				if g.rng.IntN(10) < 3 {
					payer = "umum"
				}
				var sys, dia any
				if years >= 15 {
					sys, dia = 100+g.rng.IntN(70), 60+g.rng.IntN(35)
				}
				vid := g.ids.visit
				g.ids.visit++
				vb.add(vid, p.id, u.Code, poliCode, dayStr, visitFinished, payer, p.sex, age, p.kelurahan, database.TimeArg(arrived),
					database.TimeArg(started), database.TimeArg(finished), sys, dia, 36.0+float64(g.rng.IntN(30))/10, nil, "", "", database.TimeArg(finished))
				codes := []string{dz.icd}
				if g.rng.IntN(4) == 0 {
					if extra := g.diagnosisFor(years, p.sex, day); extra.icd != dz.icd {
						codes = append(codes, extra.icd)
					}
				}
				for i, icd := range codes {
					caseType := "new"
					if g.rng.IntN(4) == 0 {
						caseType = "old"
					}
					group := ageGroup(age)
					db.add(g.ids.diag, vid, p.id, u.Code, icd, caseType, i == 0, dayStr, month, week, skdrCodeOf(icd), p.sex, group,
						database.TimeArg(finished))
					g.ids.diag++
					k := lb1Key{u.Code, month, icd, group, p.sex}
					c := lb1[k]
					if caseType == "new" {
						c[0]++
					} else {
						c[1]++
					}
					lb1[k] = c
				}
			}
		}
		if len(vb.rows) >= 20000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return g.m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		b := newBulk(g.m.d.DB.Dialect, "health_lb1", "puskesmas_code", "month", "icd10", "age_group", "sex", "new_cases", "old_cases")
		for k, c := range lb1 {
			b.add(k.pkm, k.month, k.icd, k.group, k.sex, c[0], c[1])
		}
		return b.flush(ctx, tx)
	})
}

// dayWeight: a puskesmas' outpatient day is Monday–Saturday, Saturday
// half a day.
func dayWeight(day time.Time) float64 {
	switch day.Weekday() {
	case time.Sunday:
		return 0
	case time.Saturday:
		return 0.5
	}
	return 1
}
