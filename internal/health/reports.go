package health

import (
	"context"
	"github.com/sodamolek/sodamolek/internal/platform/tabular"
	"net/http"
	"sort"
	"time"

	"github.com/sodamolek/sodamolek/internal/health/icd10"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// lb1Row is one disease of the LB1: new cases per age group and sex, and
// the totals of new and old cases.
type lb1Row struct {
	ICD, Name string
	// New[2*i] are the male, New[2*i+1] the female new cases of
	// ageGroups[i].
	New                    []int
	NewM, NewF, OldM, OldF int
	Total                  int
}

// lb1 reads a month's LB1 from the maintained counts, for one puskesmas or
// the whole city (pkm "").
func (m *Module) lb1(ctx context.Context, pkm, month, lang string) ([]lb1Row, error) {
	var wh where
	if pkm != "" {
		wh.add("puskesmas_code = ?", pkm)
	}
	wh.add("month = ?", month)
	rows, err := m.d.DB.QueryContext(ctx, `SELECT icd10, age_group, sex, SUM(new_cases), SUM(old_cases) FROM health_lb1`+wh.String()+
		` GROUP BY icd10, age_group, sex`, wh.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	groupIndex := map[string]int{}
	for i, g := range ageGroups {
		groupIndex[g] = i
	}
	byICD := map[string]*lb1Row{}
	for rows.Next() {
		var icd, group, sex string
		var newCases, oldCases int
		if err := rows.Scan(&icd, &group, &sex, &newCases, &oldCases); err != nil {
			return nil, err
		}
		row := byICD[icd]
		if row == nil {
			row = &lb1Row{ICD: icd, New: make([]int, 2*len(ageGroups))}
			if c, ok := icd10.Lookup(icd); ok {
				row.Name = c.Name(lang)
			}
			byICD[icd] = row
		}
		col := 2 * groupIndex[group]
		if sex == "female" {
			col++
			row.NewF += newCases
			row.OldF += oldCases
		} else {
			row.NewM += newCases
			row.OldM += oldCases
		}
		row.New[col] += newCases
		row.Total += newCases + oldCases
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]lb1Row, 0, len(byICD))
	for _, r := range byICD {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ICD < out[j].ICD })
	return out, nil
}

// topDiseases are the ten most frequent diagnoses (new and old cases) of
// an LB1.
func topDiseases(rows []lb1Row, n int) []lb1Row {
	top := append([]lb1Row(nil), rows...)
	sort.SliceStable(top, func(i, j int) bool { return top[i].Total > top[j].Total })
	if len(top) > n {
		top = top[:n]
	}
	return top
}

// reportPKM resolves ?pkm= for reports: a puskesmas in scope, or "" (the
// whole city) for a principal whose scope is city-wide. ok is false for a
// puskesmas outside the scope.
func reportPKM(r *http.Request, s pkmScope) (string, bool) {
	want := r.URL.Query().Get("pkm")
	switch {
	case want == "all" && s.CityWide:
		return "", true
	case want == "" && s.CityWide && !s.Has(web.PrincipalOf(r).UnitCode):
		return "", true
	case want == "":
		return s.Current.Code, true
	}
	return want, s.Has(want)
}

// dailyRecap counts a day's visits at a puskesmas.
type dailyRecap struct {
	Day                         string
	Total, Finished, BPJS, Umum int
	ByPoli                      []poliCount
	Male, Female                int
}

type poliCount struct {
	Poli  string
	Count int
}

func (m *Module) recap(ctx context.Context, pkm, day string) (dailyRecap, error) {
	d := dailyRecap{Day: day}
	var wh where
	if pkm != "" {
		wh.add("puskesmas_code = ?", pkm)
	}
	wh.add("visit_date = ?", day)
	rows, err := m.d.DB.QueryContext(ctx, `SELECT poli_code, status, payer, sex, COUNT(*) FROM health_visits`+wh.String()+
		` GROUP BY poli_code, status, payer, sex ORDER BY poli_code`, wh.args...)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	byPoli := map[string]int{}
	for rows.Next() {
		var poliCode, status, payer, sex string
		var n int
		if err := rows.Scan(&poliCode, &status, &payer, &sex, &n); err != nil {
			return d, err
		}
		d.Total += n
		byPoli[poliCode] += n
		if status == visitFinished {
			d.Finished += n
		}
		if payer == "bpjs" {
			d.BPJS += n
		} else {
			d.Umum += n
		}
		if sex == "female" {
			d.Female += n
		} else {
			d.Male += n
		}
	}
	for _, p := range defaultPolis {
		if n, ok := byPoli[p.Code]; ok {
			d.ByPoli = append(d.ByPoli, poliCount{p.Name, n})
		}
	}
	return d, rows.Err()
}

// dashboard is the module's start page: where to go, for the puskesmas
// chosen.
func (m *Module) dashboard(w http.ResponseWriter, r *http.Request) {
	s, ok, err := m.scope(r, permReports)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if !ok {
		// Brigade Kupang Sehat works from its home-visit list; anyone
		// else without a puskesmas has nothing here.
		if s.Tree != nil && web.Authorize(r, permRecords, brigadeUnit, s.Tree) {
			http.Redirect(w, r, "/kesehatan/kunjungan-rumah", http.StatusSeeOther)
			return
		}
		m.forbidden(w, r)
		return
	}
	p := web.PrincipalOf(r)
	recap, err := m.recap(r.Context(), s.Current.Code, m.todayString())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "dashboard.html", "health.title", map[string]any{"Scope": s, "Recap": recap,
		"Records": p.Has(permRecords), "Manage": web.Authorize(r, permManage, dinkesUnit, s.Tree), "Export": p.Has(permExport)})
}

// reportsPage shows the daily recap, the month's LB1 and its top ten.
func (m *Module) reportsPage(w http.ResponseWriter, r *http.Request) {
	s, ok := m.requireScope(w, r, permReports)
	if !ok {
		return
	}
	pkm, ok := reportPKM(r, s)
	if !ok {
		m.forbidden(w, r)
		return
	}
	month, okMonth := m.parseMonth(r)
	day := r.URL.Query().Get("day")
	if day == "" {
		day = m.todayString()
	}
	if _, err := time.Parse(database.DateLayout, day); err != nil || !okMonth {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "month/day"))
		return
	}
	lang := string(web.LocaleOf(r))
	rows, err := m.lb1(r.Context(), pkm, month, lang)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	recap, err := m.recap(r.Context(), pkm, day)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	name := m.d.Shell.T(r, "health.city_wide")
	if pkm != "" {
		name = unitName(s.Tree, pkm)
	}
	m.page(w, r, http.StatusOK, "reports.html", "health.reports.title", map[string]any{"Scope": s, "PKM": pkm, "PKMName": name,
		"Month": month, "Day": day, "LB1": rows, "Top": topDiseases(rows, 10), "Recap": recap, "AgeGroups": ageGroups})
}

// lb1Download exports the LB1 as CSV or XLSX: one row per ICD-10 code,
// new cases per age group and sex, then totals. It holds counts only, no
// personal data.
func (m *Module) lb1Download(format tabular.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { m.writeLB1(w, r, format) }
}

func (m *Module) writeLB1(w http.ResponseWriter, r *http.Request, format tabular.Format) {
	s, ok := m.requireScope(w, r, permReports)
	if !ok {
		return
	}
	pkm, ok := reportPKM(r, s)
	month, okMonth := m.parseMonth(r)
	if !ok || !okMonth {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "error.bad_param", "pkm/month"))
		return
	}
	rows, err := m.lb1(r.Context(), pkm, month, "id")
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	name := pkm
	if name == "" {
		name = "kota"
	}
	t := tabular.Table{Sheet: "LB1 " + month, Header: []string{"kode_icd10", "diagnosis"}}
	for _, g := range ageGroups {
		t.Header = append(t.Header, "baru_"+g+"_L", "baru_"+g+"_P")
	}
	t.Header = append(t.Header, "baru_L", "baru_P", "lama_L", "lama_P", "jumlah")
	for _, row := range rows {
		rec := []any{row.ICD, row.Name}
		for _, n := range row.New {
			rec = append(rec, n)
		}
		t.Rows = append(t.Rows, append(rec, row.NewM, row.NewF, row.OldM, row.OldF, row.Total))
	}
	if err := tabular.Serve(w, t, format, "lb1-"+name+"-"+month); err != nil {
		m.d.Log.Warn("health: LB1 download interrupted", "err", err)
	}
}

type lb1JSONRow struct {
	ICD10    string         `json:"icd10"`
	Name     string         `json:"name"`
	NewCases map[string]int `json:"new_cases"`
	NewMale  int            `json:"new_male"`
	NewFem   int            `json:"new_female"`
	OldMale  int            `json:"old_male"`
	OldFem   int            `json:"old_female"`
	Total    int            `json:"total"`
}

// apiLB1 is the LB1 as JSON: ?month=YYYY-MM&pkm=code|all.
func (m *Module) apiLB1(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	s, ok, err := m.scope(r, permReports)
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	if !ok {
		web.WriteError(w, r, http.StatusForbidden, "forbidden", sh.T(r, "error.forbidden"), nil)
		return
	}
	month, okMonth := m.parseMonth(r)
	if !okMonth {
		sh.WriteAPIError(w, r, sh.BadParam(r, "month"))
		return
	}
	pkm, ok := reportPKM(r, s)
	if !ok {
		web.WriteError(w, r, http.StatusForbidden, "forbidden", sh.T(r, "error.forbidden"), nil)
		return
	}
	rows, err := m.lb1(r.Context(), pkm, month, string(web.LocaleOf(r)))
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	out := make([]lb1JSONRow, 0, len(rows))
	for _, row := range rows {
		j := lb1JSONRow{ICD10: row.ICD, Name: row.Name, NewCases: map[string]int{}, NewMale: row.NewM, NewFem: row.NewF,
			OldMale: row.OldM, OldFem: row.OldF, Total: row.Total}
		for i, g := range ageGroups {
			if n := row.New[2*i]; n > 0 {
				j.NewCases[g+"_male"] = n
			}
			if n := row.New[2*i+1]; n > 0 {
				j.NewCases[g+"_female"] = n
			}
		}
		out = append(out, j)
	}
	scope := pkm
	if scope == "" {
		scope = "all"
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"month": month, "puskesmas": scope, "age_groups": ageGroups, "rows": out})
}
