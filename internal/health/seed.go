package health

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// poli is a clinic of a puskesmas.
type poli struct {
	Code, Name string
}

// defaultPolis are the clinics every puskesmas in Kupang runs (Permenkes
// 43/2019 on puskesmas: general, dental, maternal and child health with
// family planning, integrated management of childhood illness, and the
// laboratory).
var defaultPolis = []poli{
	{"umum", "Poli Umum"},
	{"gigi", "Poli Gigi"},
	{"kia", "Poli KIA/KB"},
	{"mtbs", "Poli MTBS"},
	{"lab", "Laboratorium"},
}

// drug is one item of the puskesmas drug catalogue.
type drug struct {
	Code, Name, Unit string
}

// defaultDrugs are common items of the national formulary (Fornas) for
// primary care, the ones LPLPO reports list first.
var defaultDrugs = []drug{
	{"PCT500", "Parasetamol 500 mg", "tablet"},
	{"PCTSYR", "Parasetamol sirup 120 mg/5 ml", "botol"},
	{"AMX500", "Amoksisilin 500 mg", "kapsul"},
	{"AMXSYR", "Amoksisilin sirup 125 mg/5 ml", "botol"},
	{"CTM4", "Klorfeniramin maleat 4 mg", "tablet"},
	{"ORALIT", "Oralit 200 ml", "sachet"},
	{"ZINC20", "Zinc 20 mg", "tablet"},
	{"ANTASID", "Antasida DOEN", "tablet"},
	{"OMZ20", "Omeprazol 20 mg", "kapsul"},
	{"AMLO5", "Amlodipin 5 mg", "tablet"},
	{"CAPTO25", "Kaptopril 25 mg", "tablet"},
	{"MET500", "Metformin 500 mg", "tablet"},
	{"GLB5", "Glibenklamid 5 mg", "tablet"},
	{"IBU400", "Ibuprofen 400 mg", "tablet"},
	{"DXM15", "Dekstrometorfan 15 mg", "tablet"},
	{"GG100", "Gliseril guaiakolat 100 mg", "tablet"},
	{"VITA200", "Vitamin A 200.000 IU", "kapsul"},
	{"FE60", "Tablet tambah darah (Fe 60 mg + asam folat)", "tablet"},
	{"CTX480", "Kotrimoksazol 480 mg", "tablet"},
	{"METRO500", "Metronidazol 500 mg", "tablet"},
	{"DHP", "Dihidroartemisinin-piperakuin", "tablet"},
	{"PRIMA15", "Primakuin 15 mg", "tablet"},
	{"SALBU2", "Salbutamol 2 mg", "tablet"},
	{"HCT2", "Hidrokortison krim 2,5%", "tube"},
	{"PMT", "PMT pemulihan balita (biskuit)", "bungkus"},
}

// Seed implements app.Seeder: the SATUSEHAT id placeholders, polis and
// posyandu of every puskesmas, the drug catalogue, the SKDR thresholds
// and the alert recipient. It runs at every start and writes only what is
// missing, so an administrator's edits survive.
func (m *Module) Seed(ctx context.Context, d *app.Deps) error {
	tree, err := d.Units.Tree(ctx)
	if err != nil {
		return err
	}
	var pkms []units.Unit
	for _, u := range tree.All() {
		if u.Type == units.TypePuskesmas {
			pkms = append(pkms, u)
		}
	}
	var have int
	if err := d.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM health_polis`).Scan(&have); err != nil {
		return err
	}
	if have >= len(pkms)*len(defaultPolis) {
		return nil // the usual start: nothing to write, no write lock
	}
	now := database.TimeArg(d.Clock.Now())
	return d.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, u := range pkms {
			if _, err := tx.ExecContext(ctx, `INSERT INTO health_facilities (puskesmas_code, satusehat_org_id, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (puskesmas_code) DO NOTHING`, u.Code, u.Code, now); err != nil {
				return err
			}
			for i, p := range defaultPolis {
				if _, err := tx.ExecContext(ctx, `INSERT INTO health_polis (puskesmas_code, code, name, sort_order) VALUES ($1, $2, $3, $4)
					ON CONFLICT (puskesmas_code, code) DO NOTHING`, u.Code, p.Code, p.Name, i); err != nil {
					return err
				}
			}
			for _, kel := range u.ServiceArea {
				r, ok := d.Regions.Lookup(kel)
				if !ok {
					continue
				}
				// A few posyandu per kelurahan, named the way kader name
				// them; the real names are edited in later.
				for _, suffix := range []string{"I", "II", "III"} {
					if _, err := tx.ExecContext(ctx, `INSERT INTO health_posyandu (puskesmas_code, kelurahan_code, name) VALUES ($1, $2, $3)
						ON CONFLICT (kelurahan_code, name) DO NOTHING`, u.Code, kel, fmt.Sprintf("Posyandu %s %s", r.Name, suffix)); err != nil {
						return err
					}
				}
			}
		}
		for i, dr := range defaultDrugs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO health_drugs (code, name, unit, sort_order) VALUES ($1, $2, $3, $4)
				ON CONFLICT (code) DO NOTHING`, dr.Code, dr.Name, dr.Unit, i); err != nil {
				return err
			}
		}
		for _, s := range skdrDiseases {
			if _, err := tx.ExecContext(ctx, `INSERT INTO health_skdr_thresholds (skdr_code, threshold, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (skdr_code) DO NOTHING`, s.Code, s.Threshold, now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO health_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
			settingAlertEmail, defaultAlertEmail)
		return err
	})
}

// The SKDR alert recipient: Dinas Kesehatan's surveillance desk
// *(configurable on the thresholds page)*.
const (
	settingAlertEmail = "skdr_alert_email"
	defaultAlertEmail = "surveilans.dinkes@kupangkota.go.id"
)

// polis returns a puskesmas' clinics in display order.
func (m *Module) polis(ctx context.Context, pkm string) ([]poli, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT code, name FROM health_polis WHERE puskesmas_code = $1 ORDER BY sort_order, code`, pkm)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []poli
	for rows.Next() {
		var p poli
		if err := rows.Scan(&p.Code, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func hasPoli(ps []poli, code string) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}
