package prices

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// Exports are open data: prices without traders or enumerators, the index
// series, and arrivals without distributors. The prices file has the
// import's columns, so an export can be imported elsewhere.

// maxExportDays bounds one prices export (a year of a city's raw prices
// is about a million lines at full scale).
const maxExportDays = 366

func csvHeaders(w http.ResponseWriter, name string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "public, max-age=300")
	return csv.NewWriter(w)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func optNum(p *float64) string {
	if p == nil {
		return ""
	}
	return num(*p)
}

// exportPrices streams observations (not rejected) between from and to
// (default: the last 31 days), optionally of one commodity or market:
// date,market_code,commodity_code,price, ordered by commodity, date and
// market (the index order, so the export streams without sorting).
func (m *Module) exportPrices(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sh := m.d.Shell
	q := r.URL.Query()
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
		from = addDays(to, -30)
	}
	if _, err := parseDay(from); err != nil || from > to || from < addDays(to, -maxExportDays+1) {
		sh.WriteAPIError(w, r, sh.BadParam(r, "from"))
		return
	}
	comms, err := m.store.Commodities(ctx, false)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	ids := []int64{}
	codes := map[int64]string{}
	for _, c := range comms {
		if code := q.Get("commodity"); code == "" || code == c.Code {
			ids = append(ids, c.ID)
		}
		codes[c.ID] = c.Code
	}
	if len(ids) == 0 {
		m.apiError(w, r, ErrNotFound)
		return
	}
	cond, args := `commodity_id IN (`+idList(ids)+`) AND day >= $1 AND day <= $2 AND status <> 'rejected'`, []any{from, to}
	markets, err := m.store.Markets(ctx, false)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	mcodes := map[int64]string{}
	for _, mk := range markets {
		mcodes[mk.ID] = mk.Code
		if mk.Code == q.Get("market") {
			cond += ` AND market_id = $3`
			args = append(args, mk.ID)
		}
	}
	if q.Get("market") != "" && len(args) == 2 {
		m.apiError(w, r, ErrNotFound)
		return
	}
	rows, err := m.store.db.QueryContext(ctx, `SELECT day, market_id, commodity_id, price FROM price_observations WHERE `+cond+
		` ORDER BY commodity_id, day, market_id`, args...)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	defer rows.Close()
	cw := csvHeaders(w, fmt.Sprintf("harga_%s_%s.csv", from, to))
	_ = cw.Write([]string{"date", "market_code", "commodity_code", "price"})
	for rows.Next() {
		var day string
		var mk, c int64
		var p float64
		if err := rows.Scan(&day, &mk, &c, &p); err != nil {
			m.d.Log.Error("prices: export", "err", err)
			break
		}
		_ = cw.Write([]string{day, mcodes[mk], codes[c], num(p)})
	}
	cw.Flush()
}

// exportIndex is the basket's index series (table=andil: the andil of
// every commodity and month, one per line).
func (m *Module) exportIndex(w http.ResponseWriter, r *http.Request) {
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
		m.apiError(w, r, fieldErr("basket", "prices.index_missing_base", missing.Base.String(), fmt.Sprint(missing.Commodities)))
		return
	}
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(b.Name))
	if r.URL.Query().Get("table") == "andil" {
		cw := csvHeaders(w, "andil_"+slug+".csv")
		_ = cw.Write([]string{"basket", "period", "commodity", "andil"})
		for _, p := range periods {
			for _, a := range p.Andil {
				_ = cw.Write([]string{b.Name, p.Month.String(), a.Commodity, num(a.Value)})
			}
		}
		cw.Flush()
		return
	}
	cw := csvHeaders(w, "indeks_"+slug+".csv")
	_ = cw.Write([]string{"basket", "base", "period", "index", "mtm", "yoy", "ytd", "carried"})
	for _, p := range periods {
		_ = cw.Write([]string{b.Name, b.Base.String(), p.Month.String(), num(p.Index), optNum(p.MtM), optNum(p.YoY), optNum(p.YtD), strings.Join(p.Carried, " ")})
	}
	cw.Flush()
}

// exportInflows lists arrivals between from and to (default: this month).
func (m *Module) exportInflows(w http.ResponseWriter, r *http.Request) {
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
	cw := csvHeaders(w, fmt.Sprintf("pasokan_%s_%s.csv", f.From, f.To))
	_ = cw.Write([]string{"date", "commodity_code", "quantity", "unit", "origin_code", "origin_name", "mode", "entry_point"})
	err := m.store.InflowRows(r.Context(), f, 0, func(row InflowRow) error {
		return cw.Write([]string{row.Day, row.Commodity.Code, num(row.Quantity), row.Unit, row.Origin.Code, row.Origin.Name, row.Mode, row.EntryPoint})
	})
	if err != nil {
		m.d.Log.Error("prices: export inflows", "err", err)
	}
	cw.Flush()
}
