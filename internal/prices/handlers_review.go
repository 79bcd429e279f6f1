package prices

import (
	"errors"
	"net/http"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type reviewRowView struct {
	ID                int64
	Day               string
	Market, Commodity string
	Trader            string
	Price, Previous   string
	Change            changeView
	Status, Reason    string
}

func (m *Module) reviewRow(r *http.Request, o ObservationView) reviewRowView {
	loc := web.LocaleOf(r)
	v := reviewRowView{ID: o.ID, Day: fmtDay(o.Day), Market: o.MarketName, Commodity: o.CommodityName, Trader: o.TraderName,
		Price: fmtRupiah(loc, o.Price), Previous: optRupiah(loc, o.Previous), Status: o.Status, Reason: o.Reason}
	if o.Previous != nil {
		v.Change = newChange(loc, &Change{PricePoint: PricePoint{Price: *o.Previous}, Pct: (o.Price / *o.Previous - 1) * 100})
	}
	return v
}

// reviewList is the supervisor's queue: entries awaiting review in the
// markets of the supervisor's units, flagged ones first.
func (m *Module) reviewList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ReviewFilter{Status: q.Get("status"), Market: q.Get("pasar"), Day: q.Get("tanggal")}
	if f.Status != "" && f.Status != "all" && !contains(statuses, f.Status) {
		f.Status = ""
	}
	if _, err := parseDay(f.Day); f.Day != "" && err != nil {
		f.Day = ""
	}
	list, err := m.store.ReviewQueue(r.Context(), actorOf(r), f)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	markets, err := m.store.Markets(r.Context(), true)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	var rows []reviewRowView
	for _, o := range list {
		rows = append(rows, m.reviewRow(r, o))
	}
	m.page(w, r, http.StatusOK, "review.html", m.t(r, "prices.review_title"), map[string]any{
		"Rows": rows, "Filter": f, "Markets": markets, "Statuses": statuses, "Done": q.Get("ok"),
	})
}

var statuses = []string{StatusPending, StatusFlagged, StatusApproved, StatusCorrected, StatusRejected}

type historyView struct {
	Action, Old, New, Note, Actor, At string
}

// reviewDetail shows one entry with its history and the review form.
func (m *Module) reviewDetail(w http.ResponseWriter, r *http.Request) {
	m.renderReview(w, r, http.StatusOK, "", "")
}

func (m *Module) renderReview(w http.ResponseWriter, r *http.Request, status int, problem, field string) {
	o, hist, err := m.store.ObservationDetail(r.Context(), actorOf(r), pathID(r, "id"))
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	loc := web.LocaleOf(r)
	var hv []historyView
	for _, h := range hist {
		hv = append(hv, historyView{Action: h.Action, Old: optRupiah(loc, h.OldPrice), New: optRupiah(loc, h.NewPrice), Note: h.Note,
			Actor: h.ActorName, At: h.At.In(m.d.Location).Format("02/01/2006 15:04")})
	}
	m.page(w, r, status, "review_detail.html", m.t(r, "prices.review_detail_title", o.ID), map[string]any{
		"Obs": m.reviewRow(r, o), "History": hv, "Problem": problem, "Field": field,
		"Note": r.PostFormValue("note"), "NewPrice": r.PostFormValue("price"),
		"CanApprove": o.Status == StatusPending || o.Status == StatusFlagged, "Final": o.Status == StatusRejected,
	})
}

// reviewSubmit approves, corrects or rejects an entry (action field).
func (m *Module) reviewSubmit(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == 0 {
		m.notFound(w, r)
		return
	}
	action := map[string]string{"approve": ActionApprove, "correct": ActionCorrect, "reject": ActionReject}[r.PostFormValue("action")]
	if action == "" {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.t(r, "error.bad_param", "action"))
		return
	}
	price := 0.0
	if action == ActionCorrect {
		price, _ = parseNumber(r.PostFormValue("price"))
	}
	err := m.store.Review(r.Context(), actorOf(r), id, action, price, r.PostFormValue("note"))
	var fe *FieldError
	if errors.As(err, &fe) {
		m.renderReview(w, r, http.StatusUnprocessableEntity, m.msg(r, fe), fe.Field)
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/tinjau?ok="+action, http.StatusSeeOther)
}

// observationJSON is an entry as the review API shows it.
type observationJSON struct {
	ID        int64     `json:"id"`
	Day       string    `json:"date"`
	Market    string    `json:"market"`
	Commodity string    `json:"commodity"`
	Trader    string    `json:"trader,omitempty"`
	Price     float64   `json:"price"`
	Previous  *float64  `json:"previous"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func obsJSON(o ObservationView) observationJSON {
	return observationJSON{ID: o.ID, Day: o.Day, Market: o.MarketCode, Commodity: o.CommodityCode, Trader: o.TraderName, Price: o.Price,
		Previous: o.Previous, Status: o.Status, Reason: o.Reason, CreatedAt: o.CreatedAt}
}

// apiReviewQueue lists entries for review (?status=&market=&date=).
func (m *Module) apiReviewQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ReviewFilter{Status: q.Get("status"), Market: q.Get("market"), Day: q.Get("date")}
	if f.Status != "" && f.Status != "all" && !contains(statuses, f.Status) {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "status"))
		return
	}
	if _, err := parseDay(f.Day); f.Day != "" && err != nil {
		m.d.Shell.WriteAPIError(w, r, m.d.Shell.BadParam(r, "date"))
		return
	}
	list, err := m.store.ReviewQueue(r.Context(), actorOf(r), f)
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	out := []observationJSON{}
	for _, o := range list {
		out = append(out, obsJSON(o))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"observations": out})
}

// apiObservation is one entry with its history.
func (m *Module) apiObservation(w http.ResponseWriter, r *http.Request) {
	o, hist, err := m.store.ObservationDetail(r.Context(), actorOf(r), pathID(r, "id"))
	if err != nil {
		m.apiError(w, r, err)
		return
	}
	type historyJSON struct {
		Action   string    `json:"action"`
		OldPrice *float64  `json:"old_price"`
		NewPrice *float64  `json:"new_price"`
		Note     string    `json:"note"`
		Actor    string    `json:"actor"`
		At       time.Time `json:"at"`
	}
	out := struct {
		observationJSON
		History []historyJSON `json:"history"`
	}{observationJSON: obsJSON(o), History: []historyJSON{}}
	for _, h := range hist {
		out.History = append(out.History, historyJSON{Action: h.Action, OldPrice: h.OldPrice, NewPrice: h.NewPrice, Note: h.Note, Actor: h.ActorName, At: h.At})
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiReview is {"action":"approve"|"correct"|"reject","price":…,"note":…}.
func (m *Module) apiReview(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Action string  `json:"action"`
		Price  float64 `json:"price"`
		Note   string  `json:"note"`
	}
	if err := m.d.Shell.DecodeJSON(w, r, &in, 0); err != nil {
		m.d.Shell.WriteAPIError(w, r, err)
		return
	}
	action := map[string]string{"approve": ActionApprove, "correct": ActionCorrect, "reject": ActionReject}[in.Action]
	if action == "" {
		msg := m.t(r, "error.bad_param", "action")
		m.d.Shell.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{"action": msg}))
		return
	}
	id := pathID(r, "id")
	if err := m.store.Review(r.Context(), actorOf(r), id, action, in.Price, in.Note); err != nil {
		m.apiError(w, r, err)
		return
	}
	m.apiObservation(w, r)
}
