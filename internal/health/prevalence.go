package health

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// prevalence is the share of measured children under five who are
// stunted (HAZ < −2), wasted (WHZ < −2) and underweight (WAZ < −2), each
// over the children with a plausible z-score of that indicator (WHO
// Anthro's denominator; DOMAIN §7).
type prevalence struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Month          string   `json:"month,omitempty"`
	Measured       int      `json:"measured"`
	Stunted        int      `json:"stunted"`
	Wasted         int      `json:"wasted"`
	Underweight    int      `json:"underweight"`
	StuntingPct    *float64 `json:"stunting_pct"`
	WastingPct     *float64 `json:"wasting_pct"`
	UnderweightPct *float64 `json:"underweight_pct"`
	hazN, whzN     int
	wazN           int
}

func pct(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(int(float64(n)*1000/float64(d)+0.5)) / 10
	return &v
}

func (p *prevalence) add(o prevalence) {
	p.Measured += o.Measured
	p.Stunted += o.Stunted
	p.Wasted += o.Wasted
	p.Underweight += o.Underweight
	p.hazN += o.hazN
	p.whzN += o.whzN
	p.wazN += o.wazN
}

func (p *prevalence) finish() {
	p.StuntingPct, p.WastingPct, p.UnderweightPct = pct(p.Stunted, p.hazN), pct(p.Wasted, p.whzN), pct(p.Underweight, p.wazN)
}

// prevalenceByArea reads a month's counts from health_growth_stats (kept
// on write; one row per kelurahan and puskesmas), so the map costs a few
// dozen rows whatever the number of children.
func (m *Module) prevalenceByArea(ctx context.Context, month string, tree *units.Tree) (city prevalence, byKel, byPKM []prevalence, err error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT kelurahan_code, puskesmas_code, measured, stunted, wasted, underweight, haz_measured,
		whz_measured, waz_measured FROM health_growth_stats WHERE month = $1`, month)
	if err != nil {
		return city, nil, nil, err
	}
	defer rows.Close()
	kel := map[string]*prevalence{}
	pkm := map[string]*prevalence{}
	for rows.Next() {
		var k, p string
		var x prevalence
		if err := rows.Scan(&k, &p, &x.Measured, &x.Stunted, &x.Wasted, &x.Underweight, &x.hazN, &x.whzN, &x.wazN); err != nil {
			return city, nil, nil, err
		}
		if kel[k] == nil {
			kel[k] = &prevalence{Code: k, Name: m.kelurahanName(k)}
		}
		if pkm[p] == nil {
			pkm[p] = &prevalence{Code: p, Name: unitName(tree, p)}
		}
		kel[k].add(x)
		pkm[p].add(x)
		city.add(x)
	}
	if err := rows.Err(); err != nil {
		return city, nil, nil, err
	}
	city.Code, city.Name, city.Month = m.d.Regions.Code, m.d.Regions.Name, month
	city.finish()
	for _, x := range kel {
		x.finish()
		byKel = append(byKel, *x)
	}
	for _, x := range pkm {
		x.finish()
		byPKM = append(byPKM, *x)
	}
	sort.Slice(byKel, func(i, j int) bool { return byKel[i].Code < byKel[j].Code })
	sort.Slice(byPKM, func(i, j int) bool { return byPKM[i].Code < byPKM[j].Code })
	return city, byKel, byPKM, nil
}

// trend reads the monthly prevalence of the city (pkm "") or of one
// puskesmas over the months ending with last.
func (m *Module) trend(ctx context.Context, pkm, last string, months int) ([]prevalence, error) {
	end, err := time.Parse("2006-01", last)
	if err != nil {
		return nil, err
	}
	first := end.AddDate(0, -(months - 1), 0).Format("2006-01")
	rows, err := m.d.DB.QueryContext(ctx, `SELECT month, SUM(measured), SUM(stunted), SUM(wasted), SUM(underweight), SUM(haz_measured),
		SUM(whz_measured), SUM(waz_measured) FROM health_growth_stats WHERE month >= $1 AND month <= $2 AND ($3 = '' OR puskesmas_code = $3)
		GROUP BY month ORDER BY month`, first, last, pkm)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []prevalence
	for rows.Next() {
		var x prevalence
		if err := rows.Scan(&x.Month, &x.Measured, &x.Stunted, &x.Wasted, &x.Underweight, &x.hazN, &x.whzN, &x.wazN); err != nil {
			return nil, err
		}
		x.finish()
		out = append(out, x)
	}
	return out, rows.Err()
}

// lastFullMonth is the month the map opens on: the previous calendar
// month, complete (posyandu weigh once a month).
func (m *Module) lastFullMonth() string {
	t := m.today()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")
}

// mapPage shows the prevalence by kelurahan on a choropleth map (and in a
// table, which is the whole page without JavaScript), by puskesmas, and
// the monthly trend.
func (m *Module) mapPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permReports)
	if !ok {
		return
	}
	month := r.URL.Query().Get("month")
	if month == "" {
		month = m.lastFullMonth()
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "month"))
		return
	}
	ind := r.URL.Query().Get("indicator")
	if ind != "wasting" && ind != "underweight" {
		ind = "stunting"
	}
	city, byKel, byPKM, err := m.prevalenceByArea(r.Context(), month, s.Tree)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	trendPKM, ok := reportPKM(r, s)
	if !ok {
		m.forbidden(w, r)
		return
	}
	tr, err := m.trend(r.Context(), trendPKM, month, 12)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	trendName := m.d.Shell.T(r, "health.city_wide")
	if trendPKM != "" {
		trendName = unitName(s.Tree, trendPKM)
	}
	m.page(w, r, http.StatusOK, "map.html", "health.map.title", map[string]any{"Scope": s, "Month": month, "Indicator": ind, "City": city,
		"Kelurahan": byKel, "Puskesmas": byPKM, "Trend": tr, "TrendName": trendName, "TrendPKM": trendPKM})
}

// apiPrevalence is GET /api/v1/health/prevalence?month=YYYY-MM: the
// prevalences of the city, each kelurahan and each puskesmas (counts
// only, no personal data).
func (m *Module) apiPrevalence(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	month := r.URL.Query().Get("month")
	if month == "" {
		month = m.lastFullMonth()
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		sh.WriteAPIError(w, r, sh.BadParam(r, "month"))
		return
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	city, byKel, byPKM, err := m.prevalenceByArea(r.Context(), month, tree)
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	if byKel == nil {
		byKel = []prevalence{}
	}
	if byPKM == nil {
		byPKM = []prevalence{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"month": month, "city": city, "kelurahan": byKel, "puskesmas": byPKM})
}
