package prices

import (
	"net/http"
	"strconv"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// alertsPage lists early-warning alerts and this week's changes.
func (m *Module) alertsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	loc := web.LocaleOf(r)
	alerts, err := m.store.Alerts(ctx, 100)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	settings, err := m.store.Settings(ctx)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	b, err := m.store.Board(ctx, "")
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	changes, err := m.store.WeeklyChanges(ctx, b.Day)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	type alertView struct {
		Kind, Commodity, Code, Unit, Day, Price, Compared, RefKind, Created string
		Change                                                              changeView
	}
	type weekView struct {
		Code, Name, ThisWeek, LastWeek string
		Change                         changeView
		Over                           bool
	}
	var av []alertView
	for _, a := range alerts {
		av = append(av, alertView{Kind: a.Kind, Commodity: a.Commodity.Label(), Code: a.Commodity.Code, Unit: a.Commodity.Unit, Day: fmtDay(a.Day),
			Price: fmtRupiah(loc, a.Price), Compared: fmtRupiah(loc, a.Compared), RefKind: a.RefKind,
			Created: a.CreatedAt.In(m.d.Location).Format("02/01/2006 15:04"), Change: newChange(loc, &Change{Pct: a.ChangePct})})
	}
	var wv []weekView
	for _, c := range changes {
		if !c.HasThis || !c.HasLast {
			continue
		}
		wv = append(wv, weekView{Code: c.Commodity.Code, Name: c.Commodity.Label(), ThisWeek: fmtRupiah(loc, c.ThisWeek), LastWeek: fmtRupiah(loc, c.LastWeek),
			Change: newChange(loc, &Change{Pct: c.ChangePct}), Over: c.ChangePct > settings.WeeklyRisePct})
	}
	m.page(w, r, http.StatusOK, "alerts.html", m.t(r, "prices.alerts_title"), map[string]any{
		"Alerts": av, "Weeks": wv, "Day": fmtDay(b.Day), "Threshold": fmtNumber(loc, settings.WeeklyRisePct, 0),
	})
}

// apiAlerts lists the newest alerts.
func (m *Module) apiAlerts(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	alerts, err := m.store.Alerts(r.Context(), limit)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	type alertJSON struct {
		ID        int64   `json:"id"`
		Commodity string  `json:"commodity"`
		Kind      string  `json:"kind"`
		Period    string  `json:"period"`
		Day       string  `json:"date"`
		Price     float64 `json:"price"`
		Compared  float64 `json:"compared"`
		ChangePct float64 `json:"change_pct"`
		RefKind   string  `json:"reference_kind,omitempty"`
		CreatedAt string  `json:"created_at"`
	}
	out := []alertJSON{}
	for _, a := range alerts {
		out = append(out, alertJSON{ID: a.ID, Commodity: a.Commodity.Code, Kind: a.Kind, Period: a.Period, Day: a.Day, Price: a.Price,
			Compared: a.Compared, ChangePct: a.ChangePct, RefKind: a.RefKind, CreatedAt: a.CreatedAt.Format(time.RFC3339)})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"alerts": out})
}
