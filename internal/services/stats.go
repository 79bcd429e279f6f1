package services

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ServiceStats are the public transparency figures of one service.
type ServiceStats struct {
	Service    string       `json:"service"`
	Name       string       `json:"name"`
	Received   int          `json:"received"`
	InProgress int          `json:"in_progress"`
	Completed  int          `json:"completed"`
	Rejected   int          `json:"rejected"`
	Stages     []StageStats `json:"stages"`
}

// StageStats: durations of finished stages in days, and the share that
// finished by their due date.
type StageStats struct {
	Stage        string  `json:"stage"`
	Unit         string  `json:"unit"`
	Finished     int     `json:"finished"`
	MedianDays   float64 `json:"median_days"`
	P90Days      float64 `json:"p90_days"`
	WithinSLAPct float64 `json:"within_sla_pct"`
}

// Stats is the statistics page's data.
type Stats struct {
	Services     []ServiceStats `json:"services"`
	IKMByService []IKM          `json:"ikm_by_service"`
	IKMByUnit    []IKM          `json:"ikm_by_unit"`
}

// Stats computes the figures over all files.
func (m *Module) Stats(ctx context.Context) (*Stats, error) {
	svcs, err := m.services(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*ServiceStats{}
	out := &Stats{}
	for _, s := range svcs {
		out.Services = append(out.Services, ServiceStats{Service: s.Code, Name: s.Name, Stages: []StageStats{}})
	}
	for i := range out.Services {
		byCode[out.Services[i].Service] = &out.Services[i]
	}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT service_code, status, COUNT(*) FROM svc_applications WHERE status <> $1 GROUP BY service_code, status`, StatusDraft)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code, status string
		var n int
		if err := rows.Scan(&code, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		s := byCode[code]
		if s == nil {
			continue
		}
		s.Received += n
		switch status {
		case StatusCompleted:
			s.Completed += n
		case StatusRejected:
			s.Rejected += n
		default:
			s.InProgress += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Stage durations: grouped per service, stage and (resolved) unit
	// kind, so kelurahan offices are summed into one line per stage.
	type key struct{ svc, stage string }
	type acc struct {
		unit   string
		days   []float64
		onTime int
	}
	groups := map[key]*acc{}
	srows, err := m.d.DB.QueryContext(ctx, `SELECT a.service_code, s.code, s.unit_code, s.started_at, s.due_at, s.finished_at
		FROM svc_stages s JOIN svc_applications a ON a.id = s.application_id WHERE s.status = $1 AND s.started_at IS NOT NULL`, StageDone)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var svc, stage, unit string
		var started, due, finished time.Time
		if err := srows.Scan(&svc, &stage, &unit, database.T(&started), database.T(&due), database.T(&finished)); err != nil {
			return nil, err
		}
		k := key{svc, stage}
		g := groups[k]
		if g == nil {
			g = &acc{unit: unit}
			groups[k] = g
		} else if g.unit != unit {
			g.unit = "*"
		}
		g.days = append(g.days, finished.Sub(started).Hours()/24)
		if !finished.After(due) {
			g.onTime++
		}
	}
	if err := srows.Err(); err != nil {
		return nil, err
	}
	for _, s := range svcs {
		st := byCode[s.Code]
		for _, def := range s.Stages {
			g := groups[key{s.Code, def.Code}]
			if g == nil {
				continue
			}
			sort.Float64s(g.days)
			unit := g.unit
			if unit == "*" {
				unit = def.Unit
			}
			st.Stages = append(st.Stages, StageStats{Stage: def.Code, Unit: unit, Finished: len(g.days),
				MedianDays: round2(quantile(g.days, 0.5)), P90Days: round2(quantile(g.days, 0.9)),
				WithinSLAPct: round2(float64(g.onTime) / float64(len(g.days)) * 100)})
		}
	}
	if out.IKMByService, err = m.ikmBy(ctx, "service_code"); err != nil {
		return nil, err
	}
	if out.IKMByUnit, err = m.ikmBy(ctx, "unit_code"); err != nil {
		return nil, err
	}
	return out, nil
}

// quantile of sorted values, linear interpolation between closest ranks.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
