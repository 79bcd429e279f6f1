package prices

import (
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

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// exportPrices streams observations (not rejected) between from and to
// (default: the last 31 days), optionally of one commodity or market:
// date,market_code,commodity_code,price, ordered by commodity, date and
// market (the index order, so the export streams without sorting).
func (m *Module) exportPrices(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { m.writePrices(w, r, format) }
}

func (m *Module) writePrices(w http.ResponseWriter, r *http.Request, format string) {
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
	out, err := newRowWriter(w, format, fmt.Sprintf("harga_%s_%s", from, to), "harga", []string{"date", "market_code", "commodity_code", "price"})
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	for rows.Next() {
		var day string
		var mk, c int64
		var p float64
		if err := rows.Scan(&day, &mk, &c, &p); err != nil {
			m.d.Log.Error("prices: export", "err", err)
			break
		}
		if err := out.write(day, mcodes[mk], codes[c], p); err != nil {
			break // the client left
		}
	}
	if err := rows.Err(); err != nil {
		m.d.Log.Error("prices: export", "err", err)
	}
	if err := out.close(); err != nil {
		m.d.Log.Debug("prices: export", "err", err)
	}
}

// exportIndex is the basket's index series (table=andil: the andil of
// every commodity and month, one per line).
func (m *Module) exportIndex(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { m.writeIndex(w, r, format) }
}

func (m *Module) writeIndex(w http.ResponseWriter, r *http.Request, format string) {
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
	var out rowWriter
	if r.URL.Query().Get("table") == "andil" {
		if out, err = newRowWriter(w, format, "andil_"+slug, "andil", []string{"basket", "period", "commodity", "andil"}); err != nil {
			m.apiError(w, r, err)
			return
		}
		for _, p := range periods {
			for _, a := range p.Andil {
				if err = out.write(b.Name, p.Month.String(), a.Commodity, a.Value); err != nil {
					break
				}
			}
		}
	} else {
		if out, err = newRowWriter(w, format, "indeks_"+slug, "indeks", []string{"basket", "base", "period", "index", "mtm", "yoy", "ytd", "carried"}); err != nil {
			m.apiError(w, r, err)
			return
		}
		for _, p := range periods {
			if err = out.write(b.Name, b.Base.String(), p.Month.String(), p.Index, optCell(p.MtM), optCell(p.YoY), optCell(p.YtD), strings.Join(p.Carried, " ")); err != nil {
				break
			}
		}
	}
	if err := out.close(); err != nil {
		m.d.Log.Debug("prices: export", "err", err)
	}
}

// optCell is an optional number as a cell: empty when there is none (no
// comparison month), which CSV shows as an empty field and a workbook as
// an empty cell.
func optCell(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// exportInflows lists arrivals between from and to (default: this month).
func (m *Module) exportInflows(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { m.writeInflows(w, r, format) }
}

func (m *Module) writeInflows(w http.ResponseWriter, r *http.Request, format string) {
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
	out, err := newRowWriter(w, format, fmt.Sprintf("pasokan_%s_%s", f.From, f.To), "pasokan",
		[]string{"date", "commodity_code", "quantity", "unit", "origin_code", "origin_name", "mode", "entry_point"})
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	err = m.store.InflowRows(r.Context(), f, 0, func(row InflowRow) error {
		return out.write(row.Day, row.Commodity.Code, row.Quantity, row.Unit, row.Origin.Code, row.Origin.Name, row.Mode, row.EntryPoint)
	})
	if err != nil {
		m.d.Log.Error("prices: export inflows", "err", err)
	}
	if err := out.close(); err != nil {
		m.d.Log.Debug("prices: export", "err", err)
	}
}
