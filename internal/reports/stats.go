package reports

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// StatsPeriods are the windows the statistics page offers, in days.
var StatsPeriods = []int{30, 90, 365}

// AgencyStats are one unit's figures for reports received in a window.
type AgencyStats struct {
	Unit     string `json:"unit"`
	Name     string `json:"name"`
	Received int    `json:"received"`
	Open     int    `json:"open"`
	Done     int    `json:"done"`
	Rejected int    `json:"rejected"`
	// Hours from receipt to the first response and to "selesai"; nil
	// when no report has got that far.
	MedianResponseH *float64 `json:"median_response_hours"`
	P90ResponseH    *float64 `json:"p90_response_hours"`
	MedianDoneH     *float64 `json:"median_done_hours"`
	P90DoneH        *float64 `json:"p90_done_hours"`
	// WithinSLA is the share (percent) of reports finished by their
	// resolution deadline among those finished or already past it.
	WithinSLA    *float64 `json:"within_sla_percent"`
	SLAEvaluated int      `json:"sla_evaluated"`
	AvgRating    *float64 `json:"average_rating"`
	Ratings      int      `json:"ratings"`

	response, done []float64
	within         int
	ratingSum      int
}

// statsCache keeps computed figures briefly: the page is public and a
// year of a city's reports is a few hundred thousand rows. A write
// through this process, or a new minute, makes them stale.
type statsCache struct {
	writes atomic.Int64
	mu     sync.Mutex
	byDays map[int]cachedStats
}

type cachedStats struct {
	minute time.Time
	writes int64
	list   []AgencyStats
}

func (m *Module) touched() { m.stats.writes.Add(1) }

// agencyStats computes the figures of every unit for reports received in
// the last days days (merged duplicates are not counted twice).
func (m *Module) agencyStats(ctx context.Context, days int) ([]AgencyStats, error) {
	now := m.now()
	minute := now.Truncate(time.Minute)
	writes := m.stats.writes.Load()
	m.stats.mu.Lock()
	if c, ok := m.stats.byDays[days]; ok && c.minute.Equal(minute) && c.writes == writes {
		m.stats.mu.Unlock()
		return c.list, nil
	}
	m.stats.mu.Unlock()

	rows, err := m.d.DB.QueryContext(ctx, `SELECT unit_code, status, created_at, first_response_at, done_at, resolution_due_at, rating
		FROM reports WHERE created_at >= $1 AND merged_into IS NULL`, database.TimeArg(now.Add(-time.Duration(days)*24*time.Hour)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[string]*AgencyStats{}
	for rows.Next() {
		var unit, status string
		var created, first, done, due time.Time
		var rating *int
		if err := rows.Scan(&unit, &status, database.T(&created), database.T(&first), database.T(&done), database.T(&due), &rating); err != nil {
			return nil, err
		}
		a := by[unit]
		if a == nil {
			a = &AgencyStats{Unit: unit}
			by[unit] = a
		}
		a.Received++
		st := Status(status)
		switch {
		case st.Open():
			a.Open++
		case st == StatusDone || st == StatusClosed:
			a.Done++
		case st == StatusRejected:
			a.Rejected++
		}
		if !first.IsZero() {
			a.response = append(a.response, first.Sub(created).Hours())
		}
		if !done.IsZero() && st != StatusRejected {
			a.done = append(a.done, done.Sub(created).Hours())
		}
		switch {
		case !done.IsZero() && st != StatusRejected && !due.IsZero():
			a.SLAEvaluated++
			if !done.After(due) {
				a.within++
			}
		case st.Open() && !due.IsZero() && now.After(due):
			a.SLAEvaluated++
		}
		if rating != nil {
			a.Ratings++
			a.ratingSum += *rating
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]AgencyStats, 0, len(by))
	for _, a := range by {
		a.Name = unitName(tree, a.Unit)
		a.MedianResponseH, a.P90ResponseH = percentile(a.response, 50), percentile(a.response, 90)
		a.MedianDoneH, a.P90DoneH = percentile(a.done, 50), percentile(a.done, 90)
		if a.SLAEvaluated > 0 {
			a.WithinSLA = round1(100 * float64(a.within) / float64(a.SLAEvaluated))
		}
		if a.Ratings > 0 {
			a.AvgRating = round1(float64(a.ratingSum) / float64(a.Ratings))
		}
		list = append(list, *a)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Received != list[j].Received {
			return list[i].Received > list[j].Received
		}
		return list[i].Unit < list[j].Unit
	})
	m.stats.mu.Lock()
	if m.stats.byDays == nil {
		m.stats.byDays = map[int]cachedStats{}
	}
	m.stats.byDays[days] = cachedStats{minute: minute, writes: writes, list: list}
	m.stats.mu.Unlock()
	return list, nil
}

// percentile is the nearest-rank percentile, rounded to 0.1 h.
func percentile(xs []float64, p float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	return round1(s[rank-1])
}

func round1(x float64) *float64 {
	v := math.Round(x*10) / 10
	return &v
}

func parseDays(r *http.Request) (int, bool) {
	s := r.URL.Query().Get("hari")
	if s == "" {
		s = r.URL.Query().Get("days")
	}
	if s == "" {
		return 30, true
	}
	n, err := strconv.Atoi(s)
	for _, p := range StatsPeriods {
		if err == nil && n == p {
			return n, true
		}
	}
	return 0, false
}

// apiStats is GET /api/v1/reports/stats?days=30|90|365.
func (m *Module) apiStats(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	days, ok := parseDays(r)
	if !ok {
		sh.WriteAPIError(w, r, sh.BadParam(r, "days"))
		return
	}
	list, err := m.agencyStats(r.Context(), days)
	if err != nil {
		sh.WriteAPIError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"days": days, "agencies": list})
}

type statsView struct {
	base
	Days    int
	Periods []int
	List    []AgencyStats
}

// statsPage is GET /laporan/statistik.
func (m *Module) statsPage(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	days, ok := parseDays(r)
	if !ok {
		sh.Render.Error(w, r, http.StatusBadRequest, sh.T(r, "error.bad_param", "hari"))
		return
	}
	list, err := m.agencyStats(r.Context(), days)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.render(w, r, http.StatusOK, "stats.html", sh.T(r, "reports.stats_title"), &statsView{Days: days, Periods: StatsPeriods, List: list})
}

// H formats a figure for the page ("—" when there is none).
func (AgencyStats) H(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}
