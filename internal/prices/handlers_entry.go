package prices

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// entryMarkets lists the markets the enumerator may enter prices for.
func (m *Module) entryMarkets(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	markets, err := m.store.Markets(ctx, true)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	p := web.PrincipalOf(r)
	var mine []Market
	for _, mk := range markets {
		if p.Can(permEnter, mk.UnitCode, tree) {
			mine = append(mine, mk)
		}
	}
	m.page(w, r, http.StatusOK, "entry_markets.html", m.t(r, "prices.entry_title"), map[string]any{"Markets": mine, "Today": fmtDay(m.store.today())})
}

type entryRowView struct {
	Code, Name, Unit string
	Previous         string // for the selected trader, else the market's
	PrevData         string // JSON trader id → price ("0": the market)
	Median           string
	MedianValue      string
	Value, Reason    string
	NeedsReason      bool
	Error            string
	Saved            bool
}

type entryView struct {
	Market    Market
	Day       string
	DayText   string
	TZ        string
	Batch     string
	Traders   []Trader
	Trader    int64
	Rows      []entryRowView
	Threshold float64
	// ThresholdText is the threshold in the reader's language.
	ThresholdText string
	Saved         int
	Problem       string
}

// entryMarket loads the market of the path and checks the enumerator may
// enter its prices.
func (m *Module) entryMarket(w http.ResponseWriter, r *http.Request) (Market, bool) {
	mk, err := m.store.MarketByCode(r.Context(), r.PathValue("market"))
	if err == nil && !mk.Active {
		err = ErrNotFound
	}
	if err != nil {
		m.pageError(w, r, err)
		return mk, false
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.pageError(w, r, err)
		return mk, false
	}
	if !web.PrincipalOf(r).Can(permEnter, mk.UnitCode, tree) {
		m.forbidden(w, r)
		return mk, false
	}
	return mk, true
}

// entryForm is the enumerator's phone form for one market and trader:
// every active commodity with its previous price. entry.js keeps what is
// typed in the phone and sends it when there is a connection; without
// JavaScript the form posts normally.
func (m *Module) entryForm(w http.ResponseWriter, r *http.Request) {
	mk, ok := m.entryMarket(w, r)
	if !ok {
		return
	}
	trader, _ := strconv.ParseInt(r.URL.Query().Get("pedagang"), 10, 64)
	saved, _ := strconv.Atoi(r.URL.Query().Get("ok"))
	v, err := m.entryView(r, mk, trader, nil)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v.Saved = saved
	m.page(w, r, http.StatusOK, "entry.html", m.t(r, "prices.entry_market_title", mk.Name), v)
}

// entryView builds the form; posted holds the values and results of a
// submission to show again.
func (m *Module) entryView(r *http.Request, mk Market, trader int64, posted map[string]entryRowView) (entryView, error) {
	ctx := r.Context()
	loc := web.LocaleOf(r)
	settings, err := m.store.Settings(ctx)
	if err != nil {
		return entryView{}, err
	}
	traders, err := m.store.Traders(ctx, mk.ID, true)
	if err != nil {
		return entryView{}, err
	}
	found := false
	for _, t := range traders {
		found = found || t.ID == trader
	}
	if !found {
		trader = 0
		if len(traders) > 0 {
			trader = traders[0].ID
		}
	}
	comms, err := m.store.Commodities(ctx, true)
	if err != nil {
		return entryView{}, err
	}
	day := m.store.today()
	ids := make([]int64, len(comms))
	for i, c := range comms {
		ids[i] = c.ID
	}
	refs, err := m.store.EntryRefs(ctx, mk.ID, day, ids)
	if err != nil {
		return entryView{}, err
	}
	v := entryView{Market: mk, Day: day, DayText: fmtDay(day), TZ: m.d.Location.String(), Batch: randomToken(), Traders: traders, Trader: trader,
		Threshold: settings.DeviationPct, ThresholdText: fmtNumber(loc, settings.DeviationPct, -1)}
	if b := r.PostFormValue("batch"); posted != nil && keyPattern.MatchString(b) {
		v.Batch = b // a resubmission keeps its keys, so nothing is stored twice
	}
	for _, c := range comms {
		row := entryRowView{Code: c.Code, Name: c.Label(), Unit: c.Unit, Previous: "—", PrevData: "{}"}
		if ref := refs[c.ID]; ref != nil {
			prev := map[string]float64{}
			for id, p := range ref.ByTrader {
				prev[strconv.FormatInt(id, 10)] = p
			}
			if ref.Market != nil {
				prev["0"] = *ref.Market
			}
			b, _ := json.Marshal(prev)
			row.PrevData = string(b)
			if p, ok := ref.ByTrader[trader]; ok {
				row.Previous = fmtRupiah(loc, p)
			} else if ref.Market != nil {
				row.Previous = fmtRupiah(loc, *ref.Market)
			}
			if ref.Median != nil {
				row.Median = fmtRupiah(loc, *ref.Median)
				row.MedianValue = formatNumber(*ref.Median)
			}
		}
		if p, ok := posted[c.Code]; ok {
			row.Value, row.Reason, row.NeedsReason, row.Error, row.Saved = p.Value, p.Reason, p.NeedsReason, p.Error, p.Saved
			if p.Saved {
				row.Value, row.Reason = "", ""
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// entrySubmit stores a form posted without JavaScript. Entries that need
// a reason or are invalid come back on the form with the message; the
// others are stored (the batch keys make a resubmission harmless).
func (m *Module) entrySubmit(w http.ResponseWriter, r *http.Request) {
	mk, ok := m.entryMarket(w, r)
	if !ok {
		return
	}
	trader, _ := strconv.ParseInt(r.PostFormValue("trader"), 10, 64)
	batch := r.PostFormValue("batch")
	day := r.PostFormValue("day")
	comms, err := m.store.Commodities(r.Context(), true)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	posted := map[string]entryRowView{}
	var entries []Entry
	var codes []string
	for _, c := range comms {
		raw := r.PostFormValue("p_" + c.Code)
		if raw == "" {
			continue
		}
		row := entryRowView{Value: raw, Reason: r.PostFormValue("r_" + c.Code)}
		price, ok := parseNumber(raw)
		if !ok {
			row.Error = m.t(r, "prices.err.price")
			posted[c.Code] = row
			continue
		}
		posted[c.Code] = row
		entries = append(entries, Entry{Key: batch + "-" + strconv.FormatInt(trader, 10) + "-" + c.Code, Market: mk.Code, Commodity: c.Code,
			Trader: trader, Day: day, Price: price, Reason: row.Reason})
		codes = append(codes, c.Code)
	}
	results, err := m.store.RecordEntries(r.Context(), actorOf(r), entries)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	saved, problems := 0, len(posted)-len(entries)
	for i, res := range results {
		row := posted[codes[i]]
		switch res.Status {
		case EntryCreated, EntryDuplicate:
			row.Saved = true
			saved++
		case EntryNeedsReason:
			row.NeedsReason = true
			row.Error = m.msg(r, res.Error)
			problems++
		default:
			row.Error = m.msg(r, res.Error)
			problems++
		}
		posted[codes[i]] = row
	}
	if problems == 0 {
		http.Redirect(w, r, "/harga/input/"+url.PathEscape(mk.Code)+"?"+url.Values{"pedagang": {strconv.FormatInt(trader, 10)},
			"ok": {strconv.Itoa(saved)}}.Encode(), http.StatusSeeOther)
		return
	}
	v, err := m.entryView(r, mk, trader, posted)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v.Saved, v.Problem = saved, m.t(r, "prices.entry_problems", problems)
	m.page(w, r, http.StatusUnprocessableEntity, "entry.html", m.t(r, "prices.entry_market_title", mk.Name), v)
}

// maxBatch bounds one sync: a day's work for one market is a few hundred
// prices; the phone sends the rest in the next request.
const maxBatch = 500

// apiRecord takes a batch of entries from a phone's outbox:
// {"observations":[{key, market, commodity, trader, day, price, reason}]}
// and answers each entry's fate in the same order, so the phone can drop
// what was stored and ask again about the rest.
func (m *Module) apiRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Observations []Entry `json:"observations"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 0); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	if len(in.Observations) == 0 || len(in.Observations) > maxBatch {
		msg := m.t(r, "prices.err.batch", maxBatch)
		m.d.Shell.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{"observations": msg}))
		return
	}
	results, err := m.store.RecordEntries(r.Context(), actorOf(r), in.Observations)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	for i := range results {
		if results[i].Error != nil {
			results[i].Message = m.msg(r, results[i].Error)
		}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"results": results})
}
