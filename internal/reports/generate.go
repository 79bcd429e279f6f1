package reports

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

// The generator makes realistic Kupang reports for demo mode and for
// city-scale benchmarks: categories in the proportions a city sees,
// places spread over the kelurahan, and lives that went as far as their
// age allows (received → verified → in progress → done → closed, a few
// rejected or transferred), with deadlines on the real calendar. It is
// deterministic for a seed.

type weighted struct {
	code   string
	weight int
	texts  []string
}

var generatorMix = []weighted{
	{"sampah-liar", 18, []string{"Tumpukan sampah di lahan kosong dekat jalan, sudah berbau.", "Warga membuang sampah di pinggir kali, mohon diangkut.", "Sampah menumpuk di depan gang, banyak lalat."}},
	{"sampah-belum-diangkut", 12, []string{"Sampah rumah tangga sudah tiga hari tidak diangkut.", "Truk sampah tidak lewat minggu ini."}},
	{"tps-penuh", 6, []string{"Kontainer TPS penuh dan sampah meluber ke jalan.", "Bak sampah di dekat pasar sudah penuh."}},
	{"pembakaran-sampah", 3, []string{"Ada yang membakar sampah plastik setiap sore, asapnya masuk rumah."}},
	{"jalan-rusak", 15, []string{"Jalan berlubang besar, berbahaya untuk motor pada malam hari.", "Aspal retak dan amblas di tikungan.", "Lubang di jalan tergenang air setelah hujan."}},
	{"drainase-banjir", 7, []string{"Got tersumbat, air meluap ke jalan saat hujan.", "Genangan setinggi betis setiap hujan deras."}},
	{"lampu-jalan-mati", 10, []string{"Tiga lampu jalan mati, jalan sangat gelap.", "Lampu PJU berkedip terus sejak minggu lalu."}},
	{"rambu-lalu-lintas", 2, []string{"Lampu lalu lintas di perempatan mati.", "Rambu dilarang parkir roboh."}},
	{"pohon-tumbang", 3, []string{"Pohon tumbang menutup separuh jalan.", "Dahan besar patah dan menggantung di atas kabel."}},
	{"air-bersih", 6, []string{"Air tidak mengalir sejak kemarin pagi.", "Pipa bocor di pinggir jalan, air terbuang."}},
	{"gangguan-ketertiban", 6, []string{"Balap liar setiap malam Minggu di jalan ini.", "Keributan sampai larut malam."}},
	{"pencurian", 3, []string{"Motor hilang dari depan rumah tadi malam.", "Percobaan pencurian di kios."}},
	{"perkelahian", 2, []string{"Perkelahian antar pemuda di dekat lapangan."}},
	{"miras-narkoba", 2, []string{"Ada penjualan sopi ilegal di kios pinggir jalan."}},
	{"kebakaran", 1, []string{"Kebakaran lahan kering di belakang permukiman."}},
	{"gawat-darurat-kesehatan", 1, []string{"Seorang warga pingsan di pinggir jalan, butuh bantuan."}},
	{"masalah-lainnya", 1, []string{"Anjing liar berkeliaran dan menggigit warga."}},
}

// genEnv is what generation needs, loaded once.
type genEnv struct {
	cats   map[string]Category
	rules  []Rule
	tree   *units.Tree
	cal    *workdays.Calendar
	kel    []regions.Region
	total  int
	hours  func(unit string) workdays.Hours
	locate func(lat, lon float64) (regions.Location, error)
}

func (m *Module) newGenEnv(ctx context.Context) (*genEnv, error) {
	_, cats, err := m.cats.all(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := loadRules(ctx, m.d.DB)
	if err != nil {
		return nil, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := m.calendar.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	env := &genEnv{cats: cats, rules: rules, tree: tree, cal: cal, kel: m.d.Regions.Kelurahan(), locate: m.d.Regions.Locate}
	for _, w := range generatorMix {
		env.total += w.weight
	}
	env.hours = func(unit string) workdays.Hours {
		h, err := m.calendar.UnitHours(ctx, unit)
		if err != nil {
			return workdays.DefaultHours
		}
		return h
	}
	return env, nil
}

// genReport is a generated report with its history.
type genReport struct {
	Report
	events []Event
}

// codeFrom makes a tracking code from the generator (deterministic).
func codeFrom(rng *rand.Rand) string {
	b := []byte("LPR-XXXX-XXXX")
	for i := 0; i < 8; i++ {
		pos := 4 + i
		if i >= 4 {
			pos++
		}
		b[pos] = codeAlphabet[rng.IntN(len(codeAlphabet))]
	}
	return string(b)
}

// generate makes one report created at a random instant in the span days
// before now.
func (env *genEnv) generate(rng *rand.Rand, now time.Time, spanDays int) (genReport, bool) {
	pick := rng.IntN(env.total)
	var w weighted
	for _, x := range generatorMix {
		if pick < x.weight {
			w = x
			break
		}
		pick -= x.weight
	}
	cat, ok := env.cats[w.code]
	if !ok {
		return genReport{}, false
	}
	kel := env.kel[rng.IntN(len(env.kel))]
	// Jitter up to ~300 m around the centroid; keep it only if it stays
	// in the same kelurahan.
	lat := kel.Lat + (rng.Float64()-0.5)*0.005
	lon := kel.Lon + (rng.Float64()-0.5)*0.005
	if loc, err := env.locate(lat, lon); err != nil || loc.Kelurahan.Code != kel.Code {
		lat, lon = kel.Lat, kel.Lon
	}
	place := Place{Kelurahan: kel.Code, Kecamatan: kel.ParentCode, HasPoint: true, Lat: lat, Lon: lon}
	unit, err := Route(env.rules, env.tree, cat.Code, place)
	if err != nil {
		return genReport{}, false
	}
	// Reports arrive mostly in the day (WITA).
	day := now.Add(-time.Duration(rng.Float64()*float64(spanDays)*24) * time.Hour)
	loc := env.cal.Location()
	d := day.In(loc)
	created := time.Date(d.Year(), d.Month(), d.Day(), 6+rng.IntN(15), rng.IntN(60), rng.IntN(60), 0, loc)
	if created.After(now) {
		created = now.Add(-time.Duration(1+rng.IntN(3600)) * time.Second)
	}
	g := genReport{Report: Report{Category: cat.Code, Status: StatusReceived, Privacy: cat.DefaultPrivacy,
		Listed: cat.DefaultPrivacy != PrivacyConfidential, Description: w.texts[rng.IntN(len(w.texts))], HasPoint: true, Lat: lat, Lon: lon,
		Kelurahan: kel.Code, Kecamatan: kel.ParentCode, Unit: unit, Source: "web", Locale: "id", CreatedAt: created, UpdatedAt: created}}
	if rng.IntN(10) == 0 && g.Privacy == PrivacyPublic {
		g.Privacy = PrivacyAnonymous
	}
	if len(cat.Attributes) > 0 {
		g.Attributes = map[string][]string{}
		for _, a := range cat.Attributes {
			switch {
			case len(a.Values) > 0:
				g.Attributes[a.Code] = []string{a.Values[rng.IntN(len(a.Values))].Key}
			case a.Datatype == TypeNumber:
				g.Attributes[a.Code] = []string{itoa(int64(1 + rng.IntN(5)))}
			case a.Datatype == TypeDatetime:
				g.Attributes[a.Code] = []string{created.Add(-time.Duration(rng.IntN(12)) * time.Hour).Format("2006-01-02T15:04")}
			case a.Required:
				g.Attributes[a.Code] = []string{"-"}
			}
		}
	}
	sc := slaClock{env.cal, env.hours(unit)}
	startTargets(&g.Report, cat, sc, created, true)
	g.add(Event{At: created, Kind: EventCreated, Status: StatusReceived, Public: true, ActorKind: "anonymous", Unit: unit})

	// The unit's speed: most respond within the target, some are late.
	step := func(target Target, factor float64) time.Duration {
		base := float64(target.N)
		switch target.Unit {
		case "wd":
			base *= 24 * 60
		case "wh":
			base *= 60 * 3
		}
		return time.Duration(base*factor*(0.1+rng.ExpFloat64()*0.5)) * time.Minute
	}
	at := created.Add(step(cat.Response, 0.8))
	if at.After(now) {
		return g.finish(env.cal), true
	}
	staff := "Petugas " + unitName(env.tree, unit)
	switch r := rng.IntN(100); {
	case r < 7:
		reasons := RejectReasons
		g.Status, g.RejectReason, g.ClosedAt, g.FirstResponseAt = StatusRejected, reasons[rng.IntN(len(reasons))], at, at
		g.add(Event{At: at, Kind: EventRejected, Status: StatusRejected, Public: true, ActorKind: "staff", ActorName: staff, Unit: g.Unit, Reason: g.RejectReason})
		return g.finish(env.cal), true
	case r < 12 && cat.Group != "darurat":
		to := "kel-" + kel.Code
		if _, ok := env.tree.Get(to); ok && to != g.Unit {
			g.FirstResponseAt = at
			g.add(Event{At: at, Kind: EventTransferred, Status: StatusTransferred, Public: true, ActorKind: "staff", ActorName: staff,
				Unit: to, ToUnit: to, Reason: "Lebih tepat ditangani kelurahan."})
			g.Unit, g.Status = to, StatusTransferred
			startTargets(&g.Report, cat, slaClock{env.cal, env.hours(to)}, at, true)
			at = at.Add(step(cat.Response, 0.5))
			if at.After(now) {
				return g.finish(env.cal), true
			}
		}
	}
	if g.FirstResponseAt.IsZero() {
		g.FirstResponseAt = at
	}
	g.Status = StatusVerified
	g.add(Event{At: at, Kind: EventVerified, Status: StatusVerified, Public: true, ActorKind: "staff", ActorName: staff, Unit: g.Unit})
	at = at.Add(step(cat.Resolution, 0.2))
	if at.After(now) {
		return g.finish(env.cal), true
	}
	g.Status = StatusInProgress
	g.add(Event{At: at, Kind: EventProgress, Status: StatusInProgress, Public: true, ActorKind: "staff", ActorName: staff, Unit: g.Unit,
		Note: "Petugas sudah dijadwalkan ke lokasi."})
	at = at.Add(step(cat.Resolution, 0.6))
	if at.After(now) {
		return g.finish(env.cal), true
	}
	g.Status, g.DoneAt = StatusDone, at
	g.add(Event{At: at, Kind: EventDone, Status: StatusDone, Public: true, ActorKind: "staff", ActorName: staff, Unit: g.Unit,
		Note: "Sudah ditangani. Terima kasih atas laporannya."})
	closeAt := env.cal.AddWorkingDays(at, AutoCloseAfterDays)
	kind, actorKind := EventAutoClosed, "system"
	if rng.IntN(10) < 6 {
		closeAt, kind, actorKind = at.Add(time.Duration(2+rng.IntN(72))*time.Hour), EventConfirmed, "anonymous"
	}
	if closeAt.After(now) {
		return g.finish(env.cal), true
	}
	g.Status, g.ClosedAt = StatusClosed, closeAt
	g.add(Event{At: closeAt, Kind: kind, Status: StatusClosed, Public: true, ActorKind: actorKind, Unit: g.Unit})
	if kind == EventConfirmed && rng.IntN(10) < 7 {
		g.Rating = int(math.Max(1, math.Min(5, math.Round(4+rng.NormFloat64()))))
		rateAt := closeAt.Add(time.Duration(1+rng.IntN(60)) * time.Minute)
		if rateAt.Before(now) {
			g.add(Event{At: rateAt, Kind: EventRated, Status: StatusClosed, Public: true, ActorKind: "anonymous", Unit: g.Unit, Reason: itoa(int64(g.Rating))})
		} else {
			g.Rating = 0
		}
	}
	return g.finish(env.cal), true
}

func (g *genReport) add(e Event) {
	g.events = append(g.events, e)
	g.UpdatedAt = e.At
}

func (g genReport) finish(cal *workdays.Calendar) genReport {
	deriveSLA(&g.Report, cal)
	return g
}
