package reports

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// Area levels of a routing rule, most specific first.
const (
	LevelKelurahan = "kelurahan"
	LevelKecamatan = "kecamatan"
	LevelCity      = "city"
)

// TargetKelurahanOffice routes to the office of the kelurahan the report
// lies in ("kel-<code>"), which forwards what it cannot handle.
const TargetKelurahanOffice = "kelurahan-office"

// Rule is one routing rule: category × area → target.
type Rule struct {
	ID        int64
	Category  string
	Level     string
	AreaCode  string
	Target    string
	UpdatedAt time.Time
}

// Place is where a report lies, as routing needs it.
type Place struct {
	Kelurahan, Kecamatan string
	HasPoint             bool
	Lat, Lon             float64
}

// ErrNoUnit: no rule and no fallback found a unit (a data problem the
// administrator must fix; the report is refused rather than lost).
var ErrNoUnit = fmt.Errorf("reports: no unit found for the report")

// Route picks the responsible unit: the kelurahan rule of the category,
// else its kecamatan rule, else its city rule, else the kelurahan office.
// A rule whose target finds no active unit falls through to the next.
func Route(rules []Rule, tree *units.Tree, category string, p Place) (string, error) {
	for _, level := range []string{LevelKelurahan, LevelKecamatan, LevelCity} {
		area := ""
		switch level {
		case LevelKelurahan:
			area = p.Kelurahan
		case LevelKecamatan:
			area = p.Kecamatan
		}
		for _, r := range rules {
			if r.Category != category || r.Level != level || r.AreaCode != area {
				continue
			}
			if u, ok := resolveTarget(r.Target, tree, p); ok {
				return u, nil
			}
		}
	}
	if u, ok := resolveTarget(TargetKelurahanOffice, tree, p); ok {
		return u, nil
	}
	return "", ErrNoUnit
}

// resolveTarget turns a rule's target into an active unit code.
func resolveTarget(target string, tree *units.Tree, p Place) (string, bool) {
	switch {
	case target == TargetKelurahanOffice:
		return activeUnit(tree, "kel-"+p.Kelurahan)
	case strings.HasPrefix(target, "serving:"):
		prefix := strings.TrimPrefix(target, "serving:")
		for _, u := range tree.ServingKelurahan(p.Kelurahan) {
			if u.Active && strings.HasPrefix(u.Code, prefix) {
				return u.Code, true
			}
		}
		return "", false
	case strings.HasPrefix(target, "nearest:"):
		return nearestUnit(tree, strings.TrimPrefix(target, "nearest:"), p)
	default:
		return activeUnit(tree, target)
	}
}

func activeUnit(tree *units.Tree, code string) (string, bool) {
	u, ok := tree.Get(code)
	if !ok || !u.Active {
		return "", false
	}
	return u.Code, true
}

// nearestUnit is the active unit named prefix or "prefix-…" closest to
// the point (a fire post); without a location, the first one.
func nearestUnit(tree *units.Tree, prefix string, p Place) (string, bool) {
	best, bestD := "", math.Inf(1)
	for _, u := range tree.All() {
		if !u.Active || (u.Code != prefix && !strings.HasPrefix(u.Code, prefix+"-")) {
			continue
		}
		d := math.Inf(1) / 2
		if p.HasPoint && u.Lat != nil && u.Lon != nil {
			d = haversine(p.Lat, p.Lon, *u.Lat, *u.Lon)
		}
		if best == "" || d < bestD {
			best, bestD = u.Code, d
		}
	}
	return best, best != ""
}

// validTarget checks a target an administrator typed.
func validTarget(target string, tree *units.Tree) bool {
	switch {
	case target == TargetKelurahanOffice:
		return true
	case strings.HasPrefix(target, "serving:"), strings.HasPrefix(target, "nearest:"):
		return len(target) > len("nearest:")
	default:
		_, ok := tree.Get(target)
		return ok
	}
}

func loadRules(ctx context.Context, q database.Querier) ([]Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, category_code, area_level, area_code, target, updated_at FROM report_routes
		ORDER BY category_code, area_level, area_code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rule
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.Category, &r.Level, &r.AreaCode, &r.Target, database.T(&r.UpdatedAt)); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// haversine is the great-circle distance in metres.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
