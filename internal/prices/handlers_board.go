package prices

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type boardRowView struct {
	Code, Name, Unit  string
	Price             string
	Day               string // shown when the price is not of the board's day
	Prev, Week, Month changeView
	RefKind, RefPrice string
	RefBasis          string
	Above             bool
	MarketPrices      []string
	HasPrice          bool
	// Changes and MarketCells are the row's three change badges and its
	// per-market cells, written here rather than by the template: the
	// board has a hundred commodities × markets, and html/template's
	// per-value escaping through reflection was two thirds of the page's
	// time. Every text in them is escaped with html.EscapeString.
	Changes, MarketCells template.HTML
}

type categoryView struct {
	Code string
	Rows []boardRowView
}

type boardView struct {
	Day        string
	DayText    string
	Asked      string
	HasData    bool
	Markets    []Market
	Categories []categoryView
	Alerts     int
}

// dayParam reads an optional ?tanggal=YYYY-MM-DD (or ?date=).
func dayParam(r *http.Request) (string, bool) {
	q := r.URL.Query()
	d := q.Get("tanggal")
	if d == "" {
		d = q.Get("date")
	}
	if d == "" {
		return "", true
	}
	_, err := parseDay(d)
	return d, err == nil
}

func (m *Module) boardView(r *http.Request, b Board) boardView {
	loc := web.LocaleOf(r)
	v := boardView{Day: b.Day, DayText: fmtDay(b.Day), Markets: b.Markets}
	labels := [3]string{m.t(r, "prices.vs_prev"), m.t(r, "prices.vs_week"), m.t(r, "prices.vs_month")}
	idx := map[string]int{}
	for _, row := range b.Rows {
		rv := boardRowView{Code: row.Commodity.Code, Name: row.Commodity.Label(), Unit: row.Commodity.Unit, Price: "—"}
		if row.Current != nil {
			v.HasData = true
			rv.HasPrice = true
			rv.Price = fmtRupiah(loc, row.Current.Price)
			if row.Current.Day != b.Day {
				rv.Day = fmtDay(row.Current.Day)
			}
			rv.Prev, rv.Week, rv.Month = newChange(loc, row.Previous), newChange(loc, row.Week), newChange(loc, row.Month)
		}
		if row.Reference != nil {
			rv.RefKind, rv.RefPrice, rv.RefBasis = row.Reference.Kind, fmtRupiah(loc, row.Reference.Price), row.Reference.LegalBasis
			rv.Above = row.AboveReference
		}
		for _, mk := range b.Markets {
			p, ok := row.Markets[mk.ID]
			if ok {
				rv.MarketPrices = append(rv.MarketPrices, fmtRupiah(loc, p.Price))
			} else {
				rv.MarketPrices = append(rv.MarketPrices, "—")
			}
		}
		var sb strings.Builder
		for i, c := range [3]changeView{rv.Prev, rv.Week, rv.Month} {
			if i > 0 {
				sb.WriteByte(' ')
			}
			writeChange(&sb, c, labels[i])
		}
		rv.Changes = template.HTML(sb.String())
		sb.Reset()
		for _, p := range rv.MarketPrices {
			sb.WriteString(`<td class="num">`)
			sb.WriteString(html.EscapeString(p))
			sb.WriteString(`</td>`)
		}
		rv.MarketCells = template.HTML(sb.String())
		i, ok := idx[row.Commodity.Category]
		if !ok {
			i = len(v.Categories)
			idx[row.Commodity.Category] = i
			v.Categories = append(v.Categories, categoryView{Code: row.Commodity.Category})
		}
		v.Categories[i].Rows = append(v.Categories[i].Rows, rv)
	}
	return v
}

// writeChange writes a change badge exactly as the prices_chg template
// does (which the other pages use).
func writeChange(sb *strings.Builder, c changeView, label string) {
	if !c.Has {
		sb.WriteString(`<span class="chg none">—`)
	} else {
		sb.WriteString(`<span class="chg `)
		sb.WriteString(html.EscapeString(c.Class))
		sb.WriteByte('"')
		if c.Since != "" {
			sb.WriteString(` title="`)
			sb.WriteString(html.EscapeString(c.Since))
			sb.WriteByte('"')
		}
		sb.WriteString(`><span aria-hidden="true">`)
		sb.WriteString(html.EscapeString(c.Arrow))
		sb.WriteString(`</span> `)
		sb.WriteString(html.EscapeString(c.Text))
	}
	if label != "" {
		sb.WriteString(` <span class="chg-label">`)
		sb.WriteString(html.EscapeString(label))
		sb.WriteString(`</span>`)
	}
	sb.WriteString(`</span>`)
}

// boardPage is the public price board: today's city price of every
// commodity with its change against the previous day, a week and a month
// earlier, the HET/HAP flag, and each market's price.
func (m *Module) boardPage(w http.ResponseWriter, r *http.Request) {
	day, ok := dayParam(r)
	if !ok {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.t(r, "error.bad_param", "tanggal"))
		return
	}
	b, err := m.store.Board(r.Context(), day)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v := m.boardView(r, b)
	v.Asked = day
	m.page(w, r, http.StatusOK, "board.html", m.t(r, "prices.board_title", m.d.Regions.Name), v)
}

// chartRanges are the chart's range choices: key → days back.
var chartRanges = []struct {
	Key  string
	Days int
}{{"3b", 92}, {"1t", 366}, {"5t", 5 * 366}, {"10t", 10 * 366}}

type commodityView struct {
	Commodity Commodity
	Range     string
	Ranges    []string
	From, To  string
	SeriesURL string
	CSVURL    string
	XLSXURL   string
	Series    Series
	Table     []seriesRow
	Truncated bool
	Refs      []refView
	Row       boardRowView
	Day       string
}

type seriesRow struct {
	Period string
	City   string
	Values []string
	Ref    string
}

type refView struct {
	Kind, Price, Basis, From, To, Note string
	Current                            bool
}

// maxTableRows bounds the table under the chart (the CSV has the rest).
const maxTableRows = 62

// commodityPage shows one commodity: the board's row, a chart of city and
// market prices with the reference price line (uPlot, fed by the series
// endpoint) and the same numbers as a table for phones without
// JavaScript.
func (m *Module) commodityPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	loc := web.LocaleOf(r)
	c, err := m.store.CommodityByCode(ctx, r.PathValue("code"))
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	b, err := m.store.Board(ctx, "")
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v := commodityView{Commodity: c, Range: "1t", Day: fmtDay(b.Day)}
	for _, rg := range chartRanges {
		v.Ranges = append(v.Ranges, rg.Key)
	}
	days := 366
	for _, rg := range chartRanges {
		if rg.Key == r.URL.Query().Get("rentang") {
			v.Range, days = rg.Key, rg.Days
		}
	}
	v.To = b.Day
	v.From = addDays(b.Day, -days)
	q := url.Values{"commodity": {c.Code}, "from": {v.From}, "to": {v.To}}
	v.SeriesURL = "/api/v1/prices/series?" + q.Encode()
	exportQuery := url.Values{"commodity": {c.Code}, "from": {max(v.From, addDays(v.To, -maxExportDays+1))}, "to": {v.To}}.Encode()
	v.CSVURL = "/api/v1/prices/export/prices.csv?" + exportQuery
	v.XLSXURL = "/api/v1/prices/export/prices.xlsx?" + exportQuery
	if v.Series, err = m.store.PriceSeries(ctx, c.Code, v.From, v.To, ""); err != nil {
		m.pageError(w, r, err)
		return
	}
	for _, row := range m.boardView(r, b).Categories {
		for _, rv := range row.Rows {
			if rv.Code == c.Code {
				v.Row = rv
			}
		}
	}
	for i := len(v.Series.Periods) - 1; i >= 0; i-- {
		if len(v.Table) == maxTableRows {
			v.Truncated = true
			break
		}
		row := seriesRow{Period: v.Series.Periods[i], City: optRupiah(loc, v.Series.City[i]), Ref: optRupiah(loc, v.Series.Reference[i])}
		if v.Series.Granularity == "day" {
			row.Period = fmtDay(row.Period)
		}
		for _, ms := range v.Series.Markets {
			row.Values = append(row.Values, optRupiah(loc, ms.Values[i]))
		}
		v.Table = append(v.Table, row)
	}
	refs, err := m.store.References(ctx)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	cur, hasCur := referenceOn(refs[c.ID], b.Day)
	for _, ref := range refs[c.ID] {
		v.Refs = append(v.Refs, refView{Kind: ref.Kind, Price: fmtRupiah(loc, ref.Price), Basis: ref.LegalBasis, From: fmtDay(ref.ValidFrom),
			To: fmtDay(ref.ValidTo), Note: ref.Note, Current: hasCur && cur.ID == ref.ID})
	}
	m.page(w, r, http.StatusOK, "commodity.html", c.Label(), v)
}

type disparityRowView struct {
	Code, Name, Unit   string
	Prices             []string
	MinClass, MaxClass []bool
	Min, Max           string
	MinMarket          string
	MaxMarket          string
	Spread, CV         string
	Wide               bool
}

// wideSpread marks a spread between markets worth a look (TPID's rule of
// thumb; the page only highlights it).
const wideSpread = 20

func (m *Module) disparityPage(w http.ResponseWriter, r *http.Request) {
	day, ok := dayParam(r)
	if !ok {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.t(r, "error.bad_param", "tanggal"))
		return
	}
	b, rows, err := m.store.Disparity(r.Context(), day)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	loc := web.LocaleOf(r)
	names := map[int64]string{}
	for _, mk := range b.Markets {
		names[mk.ID] = mk.Name
	}
	var views []disparityRowView
	for _, d := range rows {
		v := disparityRowView{Code: d.Commodity.Code, Name: d.Commodity.Label(), Unit: d.Commodity.Unit,
			Min: fmtRupiah(loc, d.Min.Price), Max: fmtRupiah(loc, d.Max.Price), MinMarket: names[d.MinMarket], MaxMarket: names[d.MaxMarket],
			Spread: fmtNumber(loc, d.SpreadPct, 1) + "%", CV: fmtNumber(loc, d.CVPct, 1) + "%", Wide: d.SpreadPct >= wideSpread}
		for _, mk := range b.Markets {
			p, ok := d.Prices[mk.ID]
			text := "—"
			if ok {
				text = fmtRupiah(loc, p.Price)
			}
			v.Prices = append(v.Prices, text)
			v.MinClass = append(v.MinClass, ok && mk.ID == d.MinMarket)
			v.MaxClass = append(v.MaxClass, ok && mk.ID == d.MaxMarket)
		}
		views = append(views, v)
	}
	m.page(w, r, http.StatusOK, "disparity.html", m.t(r, "prices.disparity_title"),
		map[string]any{"Day": fmtDay(b.Day), "Markets": b.Markets, "Rows": views, "Wide": wideSpread})
}

// JSON shapes of the public API.

type commodityJSON struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Variety   string          `json:"variety,omitempty"`
	Unit      string          `json:"unit"`
	GroupCode string          `json:"group_code"`
	Category  string          `json:"category"`
	Active    bool            `json:"active"`
	Refs      []referenceJSON `json:"references,omitempty"`
}

type referenceJSON struct {
	Kind       string  `json:"kind"`
	Price      float64 `json:"price"`
	LegalBasis string  `json:"legal_basis"`
	ValidFrom  string  `json:"valid_from,omitempty"`
	ValidTo    string  `json:"valid_to,omitempty"`
	Note       string  `json:"note,omitempty"`
}

func refJSON(r Reference) referenceJSON {
	return referenceJSON{Kind: r.Kind, Price: r.Price, LegalBasis: r.LegalBasis, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Note: r.Note}
}

type pointJSON struct {
	Price float64 `json:"price"`
	Day   string  `json:"date"`
}

type changeJSON struct {
	Price float64 `json:"price"`
	Day   string  `json:"date"`
	Pct   float64 `json:"pct"`
}

func chJSON(c *Change) *changeJSON {
	if c == nil {
		return nil
	}
	return &changeJSON{Price: c.Price, Day: c.Day, Pct: c.Pct}
}

type boardRowJSON struct {
	Commodity      string          `json:"commodity"`
	Name           string          `json:"name"`
	Unit           string          `json:"unit"`
	Category       string          `json:"category"`
	Current        *pointJSON      `json:"current"`
	Previous       *changeJSON     `json:"previous"`
	Week           *changeJSON     `json:"week"`
	Month          *changeJSON     `json:"month"`
	Reference      *referenceJSON  `json:"reference"`
	AboveReference bool            `json:"above_reference"`
	Markets        []marketPriceJS `json:"markets"`
}

type marketPriceJS struct {
	Market string  `json:"market"`
	Price  float64 `json:"price"`
	Day    string  `json:"date"`
}

type marketJSON struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Address string   `json:"address,omitempty"`
	Lat     *float64 `json:"lat"`
	Lon     *float64 `json:"lon"`
}

func mkJSON(mk Market) marketJSON {
	return marketJSON{Code: mk.Code, Name: mk.Name, Address: mk.Address, Lat: mk.Lat, Lon: mk.Lon}
}

// apiBoard is the board as JSON: {"date", "markets", "commodities"}.
func (m *Module) apiBoard(w http.ResponseWriter, r *http.Request) {
	day, ok := dayParam(r)
	if !ok {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "date"))
		return
	}
	b, err := m.store.Board(r.Context(), day)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	out := struct {
		Day         string         `json:"date"`
		Markets     []marketJSON   `json:"markets"`
		Commodities []boardRowJSON `json:"commodities"`
	}{Day: b.Day, Markets: []marketJSON{}, Commodities: []boardRowJSON{}}
	codes := map[int64]string{}
	for _, mk := range b.Markets {
		out.Markets = append(out.Markets, mkJSON(mk))
		codes[mk.ID] = mk.Code
	}
	for _, row := range b.Rows {
		j := boardRowJSON{Commodity: row.Commodity.Code, Name: row.Commodity.Label(), Unit: row.Commodity.Unit, Category: row.Commodity.Category,
			Previous: chJSON(row.Previous), Week: chJSON(row.Week), Month: chJSON(row.Month), AboveReference: row.AboveReference, Markets: []marketPriceJS{}}
		if row.Current != nil {
			j.Current = &pointJSON{Price: row.Current.Price, Day: row.Current.Day}
		}
		if row.Reference != nil {
			ref := refJSON(*row.Reference)
			j.Reference = &ref
		}
		for _, mk := range b.Markets {
			if p, ok := row.Markets[mk.ID]; ok {
				j.Markets = append(j.Markets, marketPriceJS{Market: codes[mk.ID], Price: p.Price, Day: p.Day})
			}
		}
		out.Commodities = append(out.Commodities, j)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiSeries feeds the chart: one axis of periods and aligned lines
// (null where a line has no price).
func (m *Module) apiSeries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sh := m.d.Shell
	if q.Get("commodity") == "" {
		sh.WriteAPIError(w, r, sh.BadParam(r, "commodity"))
		return
	}
	to := q.Get("to")
	if to == "" {
		to = m.store.today()
	}
	if _, err := parseDay(to); err != nil {
		sh.WriteAPIError(w, r, sh.BadParam(r, "to"))
		return
	}
	from := q.Get("from")
	if from == "" {
		from = addDays(to, -365)
	}
	if _, err := parseDay(from); err != nil || from > to {
		sh.WriteAPIError(w, r, sh.BadParam(r, "from"))
		return
	}
	gran := q.Get("granularity")
	if gran != "" && gran != "day" && gran != "month" {
		sh.WriteAPIError(w, r, sh.BadParam(r, "granularity"))
		return
	}
	if gran == "day" {
		f, _ := parseDay(from)
		t, _ := parseDay(to)
		if t.Sub(f) > 4*maxDailySpan*24*time.Hour {
			// Daily points over decades would be megabytes for a chart.
			sh.WriteAPIError(w, r, sh.BadParam(r, "granularity"))
			return
		}
	}
	s, err := m.store.PriceSeries(r.Context(), q.Get("commodity"), from, to, gran)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	type line struct {
		Market string     `json:"market"`
		Name   string     `json:"name"`
		Values []*float64 `json:"values"`
	}
	out := struct {
		Commodity   commodityJSON `json:"commodity"`
		Granularity string        `json:"granularity"`
		Periods     []string      `json:"periods"`
		City        []*float64    `json:"city"`
		Markets     []line        `json:"markets"`
		Reference   []*float64    `json:"reference"`
		RefKind     []string      `json:"reference_kind"`
	}{Commodity: commodityJSON{Code: s.Commodity.Code, Name: s.Commodity.Label(), Unit: s.Commodity.Unit, GroupCode: s.Commodity.GroupCode,
		Category: s.Commodity.Category, Active: s.Commodity.Active}, Granularity: s.Granularity, Periods: nonNil(s.Periods), City: s.City,
		Markets: []line{}, Reference: s.Reference, RefKind: s.RefKinds}
	for _, ms := range s.Markets {
		out.Markets = append(out.Markets, line{Market: ms.Market.Code, Name: ms.Market.Name, Values: ms.Values})
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSONCached(w, out)
}

// apiDisparity compares the markets' prices of each commodity.
func (m *Module) apiDisparity(w http.ResponseWriter, r *http.Request) {
	day, ok := dayParam(r)
	if !ok {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "date"))
		return
	}
	b, rows, err := m.store.Disparity(r.Context(), day)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	codes := map[int64]string{}
	for _, mk := range b.Markets {
		codes[mk.ID] = mk.Code
	}
	type rowJSON struct {
		Commodity string          `json:"commodity"`
		Min       marketPriceJS   `json:"min"`
		Max       marketPriceJS   `json:"max"`
		SpreadPct float64         `json:"spread_pct"`
		CVPct     float64         `json:"cv_pct"`
		Markets   []marketPriceJS `json:"markets"`
	}
	out := struct {
		Day         string    `json:"date"`
		Commodities []rowJSON `json:"commodities"`
	}{Day: b.Day, Commodities: []rowJSON{}}
	for _, d := range rows {
		j := rowJSON{Commodity: d.Commodity.Code, SpreadPct: d.SpreadPct, CVPct: d.CVPct,
			Min: marketPriceJS{Market: codes[d.MinMarket], Price: d.Min.Price, Day: d.Min.Day},
			Max: marketPriceJS{Market: codes[d.MaxMarket], Price: d.Max.Price, Day: d.Max.Day}}
		for _, mk := range b.Markets {
			if p, ok := d.Prices[mk.ID]; ok {
				j.Markets = append(j.Markets, marketPriceJS{Market: mk.Code, Price: p.Price, Day: p.Day})
			}
		}
		out.Commodities = append(out.Commodities, j)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiCommodities lists the commodities with their reference prices.
func (m *Module) apiCommodities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	comms, err := m.store.Commodities(ctx, false)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	refs, err := m.store.References(ctx)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	out := []commodityJSON{}
	for _, c := range comms {
		j := commodityJSON{Code: c.Code, Name: c.Name, Variety: c.Variety, Unit: c.Unit, GroupCode: c.GroupCode, Category: c.Category, Active: c.Active}
		for _, ref := range refs[c.ID] {
			j.Refs = append(j.Refs, refJSON(ref))
		}
		out = append(out, j)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"commodities": out})
}

// apiMarkets lists the markets.
func (m *Module) apiMarkets(w http.ResponseWriter, r *http.Request) {
	markets, err := m.store.Markets(r.Context(), true)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	out := []marketJSON{}
	for _, mk := range markets {
		out = append(out, mkJSON(mk))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"markets": out})
}
