package services

import (
	"context"
	"database/sql"
	"math"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// IKMElements are the nine service elements of PermenPANRB 14/2017, each
// scored 1 (tidak baik) to 4 (sangat baik).
var IKMElements = []string{
	"persyaratan", "sistem_mekanisme_prosedur", "waktu_penyelesaian", "biaya_tarif", "produk_spesifikasi",
	"kompetensi_pelaksana", "perilaku_pelaksana", "penanganan_pengaduan", "sarana_prasarana",
}

// SaveSurvey records the applicant's IKM answers for a completed file,
// once.
func (m *Module) SaveSurvey(ctx context.Context, p *auth.Principal, ip string, id int64, scores []int, comment string) error {
	if len(scores) != len(IKMElements) {
		return errInvalid("services.err_check_fields", map[string]string{"scores": "services.err_ikm_scores"})
	}
	for _, s := range scores {
		if s < 1 || s > 4 {
			return errInvalid("services.err_check_fields", map[string]string{"scores": "services.err_ikm_scores"})
		}
	}
	if len([]rune(comment)) > 2000 {
		return errInvalid("services.err_check_fields", map[string]string{"comment": "services.err_too_long"})
	}
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		a, err := m.ownApp(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status != StatusCompleted {
			return errConflict("not_completed", "services.err_survey_not_completed")
		}
		svc, err := m.service(ctx, tx, a.ServiceCode)
		if err != nil {
			return err
		}
		unit := resolveUnit(svc.Output.Issuer, a.KelurahanCode)
		_, err = tx.ExecContext(ctx, `INSERT INTO svc_surveys (application_id, service_code, unit_code, u1, u2, u3, u4, u5, u6, u7, u8, u9, comment, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, id, a.ServiceCode, unit, scores[0], scores[1], scores[2],
			scores[3], scores[4], scores[5], scores[6], scores[7], scores[8], comment, database.TimeArg(m.d.Clock.Now()))
		if database.IsUniqueViolation(err) {
			return errConflict("already_answered", "services.err_survey_done")
		}
		if err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: auth.ActorOf(p, ip), Action: "service_survey.submitted",
			ObjectType: "service_application", ObjectID: audit.ObjectID(id)})
	})
}

// IKM is the satisfaction index of a service or unit.
type IKM struct {
	Key       string     `json:"key"`
	Responses int        `json:"responses"`
	Elements  [9]float64 `json:"elements"` // NRR per element (1–4)
	Index     float64    `json:"index"`    // 25–100
	Grade     string     `json:"grade"`    // A–D
}

// ikmIndex applies PermenPANRB 14/2017: the weighted average of the
// nine element averages (equal weights 1/9) times 25 (conversion to
// 25–100), graded A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.
func ikmIndex(sums [9]float64, n int) IKM {
	var out IKM
	out.Responses = n
	if n == 0 {
		return out
	}
	total := 0.0
	for i, s := range sums {
		out.Elements[i] = math.Round(s/float64(n)*100) / 100
		total += s / float64(n)
	}
	out.Index = math.Round(total/9*25*100) / 100
	switch {
	case out.Index >= 88.31:
		out.Grade = "A"
	case out.Index >= 76.61:
		out.Grade = "B"
	case out.Index >= 65:
		out.Grade = "C"
	default:
		out.Grade = "D"
	}
	return out
}

// ikmBy groups the surveys by a column (service_code or unit_code).
func (m *Module) ikmBy(ctx context.Context, column string) ([]IKM, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT `+column+`, COUNT(*), SUM(u1), SUM(u2), SUM(u3), SUM(u4), SUM(u5), SUM(u6), SUM(u7), SUM(u8), SUM(u9)
		FROM svc_surveys GROUP BY `+column+` ORDER BY `+column)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []IKM{}
	for rows.Next() {
		var key string
		var n int
		var s [9]float64
		if err := rows.Scan(&key, &n, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &s[6], &s[7], &s[8]); err != nil {
			return nil, err
		}
		k := ikmIndex(s, n)
		k.Key = key
		out = append(out, k)
	}
	return out, rows.Err()
}
