package prices

import (
	"errors"
	"net/http"
	"net/url"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// inflowPeriod turns ?periode= into days: today, this month (default) or
// the last 30 days.
func (m *Module) inflowPeriod(r *http.Request) (key, from, to string) {
	today := m.store.today()
	switch key = r.URL.Query().Get("periode"); key {
	case "hari":
		return key, today, today
	case "30":
		return key, addDays(today, -29), today
	default:
		return "bulan", today[:7] + "-01", today
	}
}

type flowView struct {
	Code, Name, Province string
	Arrivals             int
	Items                []flowItemView
	Modes                []string
}

type flowItemView struct {
	Code, Name, Quantity, Unit, Share string
}

func (m *Module) flowViews(r *http.Request, flows []OriginFlow) []flowView {
	loc := web.LocaleOf(r)
	var out []flowView
	for _, f := range flows {
		v := flowView{Code: f.Origin.Code, Name: f.Origin.Name, Province: f.Origin.Province, Arrivals: f.Arrivals}
		for _, c := range f.Commodities {
			v.Items = append(v.Items, flowItemView{Code: c.Commodity.Code, Name: c.Commodity.Label(), Quantity: fmtNumber(loc, c.Quantity, 0),
				Unit: c.Commodity.Unit, Share: fmtNumber(loc, c.SharePct, 1) + "%"})
		}
		for _, mode := range Modes {
			if f.Modes[mode] > 0 {
				v.Modes = append(v.Modes, mode)
			}
		}
		out = append(out, v)
	}
	return out
}

type shareView struct {
	Month   string
	Origins []string // share per origin, aligned with the header
}

// inflowsPage shows where commodities come from: a map of flows into
// Kupang, the table by origin, today's fish, and one commodity's shares by
// origin over the last six months.
func (m *Module) inflowsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	loc := web.LocaleOf(r)
	period, from, to := m.inflowPeriod(r)
	code := r.URL.Query().Get("komoditas")
	comms, err := m.store.Commodities(ctx, true)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	var selected *Commodity
	for i := range comms {
		if comms[i].Code == code {
			selected = &comms[i]
		}
	}
	if selected == nil {
		code = ""
	}
	flows, err := m.store.Flows(ctx, InflowFilter{From: from, To: to, Commodity: code})
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	today := m.store.today()
	fish, err := m.store.Flows(ctx, InflowFilter{From: today, To: today, Category: "ikan"})
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	// Shares over time: the chosen commodity, else the one that most
	// origins sent in the period.
	shareOf := selected
	if shareOf == nil {
		count := map[string]int{}
		for _, f := range flows {
			for _, c := range f.Commodities {
				count[c.Commodity.Code]++
			}
		}
		best := ""
		for c, n := range count {
			if best == "" || n > count[best] || n == count[best] && c < best {
				best = c
			}
		}
		for i := range comms {
			if comms[i].Code == best {
				shareOf = &comms[i]
			}
		}
	}
	var shareHead []string
	var shareRows []shareView
	if shareOf != nil {
		monthTo := today[:7]
		monthFrom := monthBefore(monthBefore(monthBefore(monthBefore(monthBefore(today)))))[:7]
		shares, names, err := m.store.OriginShares(ctx, shareOf.ID, monthFrom, monthTo)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		var origins []string
		for o := range names {
			origins = append(origins, o)
		}
		sort.Strings(origins)
		for _, o := range origins {
			shareHead = append(shareHead, names[o])
		}
		byMonth := map[string]map[string]float64{}
		var months []string
		for _, sh := range shares {
			if byMonth[sh.Month] == nil {
				byMonth[sh.Month] = map[string]float64{}
				months = append(months, sh.Month)
			}
			byMonth[sh.Month][sh.Origin] = sh.SharePct
		}
		for _, mo := range months {
			row := shareView{Month: mo}
			for _, o := range origins {
				if v, ok := byMonth[mo][o]; ok {
					row.Origins = append(row.Origins, fmtNumber(loc, v, 1)+"%")
				} else {
					row.Origins = append(row.Origins, "—")
				}
			}
			shareRows = append(shareRows, row)
		}
	}
	q := url.Values{"from": {from}, "to": {to}}
	if code != "" {
		q.Set("commodity", code)
	}
	m.page(w, r, http.StatusOK, "inflows.html", m.t(r, "prices.inflows_title"), map[string]any{
		"Period": period, "Periods": []string{"hari", "bulan", "30"}, "From": fmtDay(from), "To": fmtDay(to), "Code": code, "Commodities": comms, "Flows": m.flowViews(r, flows),
		"Fish": m.flowViews(r, fish), "ShareOf": shareOf, "ShareHead": shareHead, "ShareRows": shareRows,
		"MapURL": "/api/v1/prices/inflows?" + q.Encode(), "CSVURL": "/api/v1/prices/export/inflows.csv?" + q.Encode(),
		"XLSXURL":   "/api/v1/prices/export/inflows.xlsx?" + q.Encode(),
		"CanRecord": web.PrincipalOf(r).Has(permEnter), "Saved": r.URL.Query().Get("ok") != "",
	})
}

// apiInflows feeds the map: arrivals by origin with positions, the city
// as destination and the points of entry.
func (m *Module) apiInflows(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	q := r.URL.Query()
	today := m.store.today()
	f := InflowFilter{From: q.Get("from"), To: q.Get("to"), Commodity: q.Get("commodity"), Category: q.Get("category")}
	if f.To == "" {
		f.To = today
	}
	if f.From == "" {
		f.From = f.To[:min(len(f.To), 7)] + "-01"
	}
	if _, err := parseDay(f.To); err != nil {
		sh.WriteAPIError(w, r, sh.BadParam(r, "to"))
		return
	}
	if _, err := parseDay(f.From); err != nil || f.From > f.To {
		sh.WriteAPIError(w, r, sh.BadParam(r, "from"))
		return
	}
	flows, err := m.store.Flows(r.Context(), f)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	points, err := m.store.EntryPoints(r.Context())
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	type itemJSON struct {
		Commodity string  `json:"commodity"`
		Name      string  `json:"name"`
		Quantity  float64 `json:"quantity"`
		Unit      string  `json:"unit"`
		SharePct  float64 `json:"share_pct"`
	}
	type originJSON struct {
		Code        string         `json:"code"`
		Name        string         `json:"name"`
		Province    string         `json:"province"`
		Lat         *float64       `json:"lat"`
		Lon         *float64       `json:"lon"`
		Arrivals    int            `json:"arrivals"`
		Modes       map[string]int `json:"modes"`
		Commodities []itemJSON     `json:"commodities"`
	}
	type pointJSON struct {
		Code string   `json:"code"`
		Name string   `json:"name"`
		Mode string   `json:"mode"`
		Lat  *float64 `json:"lat"`
		Lon  *float64 `json:"lon"`
	}
	site := sh.Site()
	out := struct {
		From        string       `json:"from"`
		To          string       `json:"to"`
		Destination any          `json:"destination"`
		Origins     []originJSON `json:"origins"`
		EntryPoints []pointJSON  `json:"entry_points"`
	}{From: f.From, To: f.To, Destination: map[string]any{"name": m.d.Regions.Name, "code": m.d.Regions.Code, "lat": site.MapLat, "lon": site.MapLon},
		Origins: []originJSON{}, EntryPoints: []pointJSON{}}
	for _, fl := range flows {
		o := originJSON{Code: fl.Origin.Code, Name: fl.Origin.Name, Province: fl.Origin.Province, Lat: fl.Origin.Lat, Lon: fl.Origin.Lon,
			Arrivals: fl.Arrivals, Modes: fl.Modes, Commodities: []itemJSON{}}
		for _, c := range fl.Commodities {
			o.Commodities = append(o.Commodities, itemJSON{Commodity: c.Commodity.Code, Name: c.Commodity.Label(), Quantity: c.Quantity, Unit: c.Commodity.Unit, SharePct: c.SharePct})
		}
		out.Origins = append(out.Origins, o)
	}
	for _, p := range points {
		out.EntryPoints = append(out.EntryPoints, pointJSON(p))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

type inflowFormView struct {
	Values      Inflow
	Quantity    string
	Commodities []Commodity
	Units       []string
	Origins     []Origin
	Points      []EntryPoint
	Modes       []string
	Problem     string
	Field       string
}

func (m *Module) inflowFormView(r *http.Request, in Inflow) (inflowFormView, error) {
	ctx := r.Context()
	v := inflowFormView{Values: in, Modes: Modes}
	var err error
	if v.Commodities, err = m.store.Commodities(ctx, true); err != nil {
		return v, err
	}
	if v.Origins, err = m.store.Origins(ctx); err != nil {
		return v, err
	}
	if v.Points, err = m.store.EntryPoints(ctx); err != nil {
		return v, err
	}
	units := map[string]bool{}
	for _, c := range v.Commodities {
		for _, u := range UnitsFor(c) {
			if !units[u] {
				units[u] = true
				v.Units = append(v.Units, u)
			}
		}
	}
	return v, nil
}

// inflowForm is the form to record an arrival.
func (m *Module) inflowForm(w http.ResponseWriter, r *http.Request) {
	v, err := m.inflowFormView(r, Inflow{Day: m.store.today(), Unit: "kg", Mode: "ship", Key: randomToken()})
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "inflow_form.html", m.t(r, "prices.inflow_form_title"), v)
}

// inflowSubmit records an arrival posted by the form.
func (m *Module) inflowSubmit(w http.ResponseWriter, r *http.Request) {
	in := Inflow{Key: r.PostFormValue("key"), Day: r.PostFormValue("day"), Commodity: r.PostFormValue("commodity"), Unit: r.PostFormValue("unit"),
		Origin: r.PostFormValue("origin"), Mode: r.PostFormValue("mode"), EntryPoint: r.PostFormValue("entry_point"), Distributor: r.PostFormValue("distributor")}
	qty := r.PostFormValue("quantity")
	var ok bool
	in.Quantity, ok = parseNumber(qty)
	var err error
	if !ok {
		err = fieldErr("quantity", "prices.err.quantity")
	} else {
		_, _, err = m.store.RecordInflow(r.Context(), actorOf(r), in)
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		v, verr := m.inflowFormView(r, in)
		if verr != nil {
			m.pageError(w, r, verr)
			return
		}
		v.Quantity, v.Problem, v.Field = qty, m.msg(r, fe), fe.Field
		m.page(w, r, http.StatusUnprocessableEntity, "inflow_form.html", m.t(r, "prices.inflow_form_title"), v)
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/asal?periode=hari&ok=1", http.StatusSeeOther)
}

// apiRecordInflow records an arrival from JSON; a known key answers with
// the stored id and "duplicate": true.
func (m *Module) apiRecordInflow(w http.ResponseWriter, r *http.Request) {
	var in Inflow
	if err := m.d.Shell.DecodeJSON(w, r, &in, 0); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	id, dup, err := m.store.RecordInflow(r.Context(), actorOf(r), in)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	web.WriteJSON(w, status, map[string]any{"id": id, "duplicate": dup})
}
