package prices

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// periodJSON is one month of the index as the API publishes it: the index
// (base = 100), inflation in percent (null without the comparison month),
// the andil of each commodity, the group indices, and the commodities
// whose price was carried forward from an earlier month.
type periodJSON struct {
	Period  string             `json:"period"`
	Index   float64            `json:"index"`
	MtM     *float64           `json:"mtm"`
	YoY     *float64           `json:"yoy"`
	YtD     *float64           `json:"ytd"`
	Andil   []AndilJSON        `json:"andil"`
	Groups  map[string]float64 `json:"groups"`
	Carried []string           `json:"carried"`
}

func toPeriodJSON(p index.Period) periodJSON {
	groups := p.Groups
	if groups == nil {
		groups = map[string]float64{}
	}
	return periodJSON{Period: p.Month.String(), Index: p.Index, MtM: p.MtM, YoY: p.YoY, YtD: p.YtD, Andil: andilOf(p), Groups: groups, Carried: nonNil(p.Carried)}
}

// monthParams reads optional from/to months (YYYY-MM).
func monthParams(r *http.Request) (from, to index.Month, bad string) {
	q := r.URL.Query()
	for name, dst := range map[string]*index.Month{"from": &from, "to": &to} {
		if v := q.Get(name); v != "" {
			m, err := index.ParseMonth(v)
			if err != nil {
				return from, to, name
			}
			*dst = m
		}
	}
	if from.Valid() && to.Valid() && to.Before(from) {
		return from, to, "to"
	}
	return from, to, ""
}

// apiIndex is GET /api/v1/price-index?basket=NAME&from=YYYY-MM&to=YYYY-MM.
// Months before the base have no index (from is clamped to the base).
func (m *Module) apiIndex(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	name := r.URL.Query().Get("basket")
	if name == "" {
		sh.WriteAPIError(w, r, sh.BadParam(r, "basket"))
		return
	}
	from, to, bad := monthParams(r)
	if bad != "" {
		sh.WriteAPIError(w, r, sh.BadParam(r, bad))
		return
	}
	b, periods, err := m.store.IndexSeries(r.Context(), name, from, to)
	var missing *index.MissingBaseError
	if errors.As(err, &missing) {
		msg := m.t(r, "prices.index_missing_base", missing.Base.String(), fmt.Sprint(missing.Commodities))
		web.WriteError(w, r, http.StatusUnprocessableEntity, "missing_base_price", msg, nil)
		return
	}
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	out := struct {
		Basket  string       `json:"basket"`
		Base    string       `json:"base"`
		Periods []periodJSON `json:"periods"`
	}{Basket: b.Name, Base: b.Base.String(), Periods: []periodJSON{}}
	for _, p := range periods {
		out.Periods = append(out.Periods, toPeriodJSON(p))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiBaskets lists the baskets with their weights.
func (m *Module) apiBaskets(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, err := m.store.Baskets(ctx)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	type weightJSON struct {
		Commodity string  `json:"commodity"`
		Group     string  `json:"group_code"`
		Weight    float64 `json:"weight"`
	}
	type basketJSON struct {
		Name        string       `json:"name"`
		Base        string       `json:"base"`
		Description string       `json:"description"`
		Weights     []weightJSON `json:"weights"`
	}
	out := []basketJSON{}
	for _, item := range list {
		b, err := m.store.BasketByName(ctx, item.Name)
		if err != nil {
			m.apiError(w, r, err)
			return
		}
		j := basketJSON{Name: b.Name, Base: b.Base.String(), Description: b.Description, Weights: []weightJSON{}}
		for _, wt := range b.Weights {
			j.Weights = append(j.Weights, weightJSON{Commodity: wt.Code, Group: wt.GroupCode, Weight: wt.Weight})
		}
		out = append(out, j)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"baskets": out})
}

type indexRowView struct {
	Month         string
	Index         string
	MtM, YoY, YtD changeView
}

type andilView struct {
	Name  string
	Value string
	Class string
}

type inflationView struct {
	Baskets   []Basket
	Basket    Basket
	Error     string
	Latest    *indexRowView
	Rows      []indexRowView
	Andil     []andilView
	AndilSum  string
	Groups    []andilView
	Carried   []string
	CSVURL    string
	XLSXURL   string
	JSONURL   string
	Stale     bool
	HasPeriod bool
}

// monthName is "Desember 2026".
func (m *Module) monthName(r *http.Request, mo index.Month) string {
	return m.t(r, fmt.Sprintf("prices.month_%d", int(mo.Month))) + " " + fmt.Sprint(mo.Year)
}

// inflationPage shows a basket's index and inflation: the newest month
// with its andil and group indices, and the last thirteen months.
func (m *Module) inflationPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	loc := web.LocaleOf(r)
	baskets, err := m.store.Baskets(ctx)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v := inflationView{Baskets: baskets}
	name := r.URL.Query().Get("keranjang")
	if name == "" && len(baskets) > 0 {
		name = baskets[0].Name
		for _, b := range baskets {
			if b.Name == KupangBasket {
				name = b.Name
			}
		}
	}
	title := m.t(r, "prices.inflation_title", m.d.Regions.Name)
	if name == "" {
		m.page(w, r, http.StatusOK, "inflation.html", title, v)
		return
	}
	b, periods, err := m.store.IndexSeries(ctx, name, index.Month{}, index.Month{})
	var missing *index.MissingBaseError
	switch {
	case errors.As(err, &missing):
		v.Error = m.t(r, "prices.index_missing_base", missing.Base.String(), fmt.Sprint(missing.Commodities))
	case err != nil:
		m.pageError(w, r, err)
		return
	}
	v.Basket, v.Stale = b, b.Stale
	v.CSVURL = "/api/v1/prices/export/index.csv?" + url.Values{"basket": {b.Name}}.Encode()
	v.XLSXURL = "/api/v1/prices/export/index.xlsx?" + url.Values{"basket": {b.Name}}.Encode()
	v.JSONURL = "/api/v1/price-index?" + url.Values{"basket": {b.Name}}.Encode()
	names := map[string]string{}
	for _, wt := range b.Weights {
		names[wt.Code] = wt.Label()
	}
	for i := len(periods) - 1; i >= 0 && len(v.Rows) < 13; i-- {
		p := periods[i]
		v.Rows = append(v.Rows, indexRowView{Month: m.monthName(r, p.Month), Index: fmtNumber(loc, p.Index, 2),
			MtM: pctView(loc, p.MtM), YoY: pctView(loc, p.YoY), YtD: pctView(loc, p.YtD)})
	}
	if len(periods) > 0 {
		latest := periods[len(periods)-1]
		v.Latest, v.HasPeriod = &v.Rows[0], true
		andil := append([]index.Contribution(nil), latest.Andil...)
		sort.SliceStable(andil, func(i, j int) bool { return math.Abs(andil[i].Value) > math.Abs(andil[j].Value) })
		var sum float64
		for _, a := range andil {
			sum += a.Value
			v.Andil = append(v.Andil, andilView{Name: names[a.Commodity], Value: fmtSigned(loc, a.Value, 3), Class: direction(a.Value)})
		}
		if latest.MtM != nil {
			v.AndilSum = fmtSigned(loc, sum, 3)
		}
		codes := make([]string, 0, len(latest.Groups))
		for g := range latest.Groups {
			codes = append(codes, g)
		}
		sort.Strings(codes)
		for _, g := range codes {
			grp, _ := index.ExpenditureGroup(g)
			v.Groups = append(v.Groups, andilView{Name: g + " " + grp.Name, Value: fmtNumber(loc, latest.Groups[g], 2)})
		}
		for _, c := range latest.Carried {
			v.Carried = append(v.Carried, names[c])
		}
	}
	m.page(w, r, http.StatusOK, "inflation.html", title, v)
}

// direction classes a value for its colour: up, down or flat.
func direction(v float64) string {
	switch {
	case v > 0:
		return "up"
	case v < 0:
		return "down"
	}
	return "flat"
}
