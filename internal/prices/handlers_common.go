package prices

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// routes registers every page and endpoint of the module.
func (m *Module) routes(rt *web.Router) {
	// The public side: board, charts, disparity, inflation, inflows, and
	// open data (CSV and JSON without personal data).
	rt.Page("GET /harga", web.Public, m.boardPage)
	rt.Page("GET /harga/komoditas/{code}", web.Public, m.commodityPage)
	rt.Page("GET /harga/disparitas", web.Public, m.disparityPage)
	rt.Page("GET /harga/inflasi", web.Public, m.inflationPage)
	rt.Page("GET /harga/asal", web.Public, m.inflowsPage)
	rt.API("GET /api/v1/prices/board", web.Public, m.apiBoard)
	rt.API("GET /api/v1/prices/series", web.Public, m.apiSeries)
	rt.API("GET /api/v1/prices/disparity", web.Public, m.apiDisparity)
	rt.API("GET /api/v1/prices/commodities", web.Public, m.apiCommodities)
	rt.API("GET /api/v1/prices/markets", web.Public, m.apiMarkets)
	rt.API("GET /api/v1/prices/baskets", web.Public, m.apiBaskets)
	rt.API("GET /api/v1/price-index", web.Public, m.apiIndex)
	rt.API("GET /api/v1/prices/inflows", web.Public, m.apiInflows)
	for _, f := range []string{formatCSV, formatXLSX} {
		rt.API("GET /api/v1/prices/export/prices."+f, web.Public, m.exportPrices(f))
		rt.API("GET /api/v1/prices/export/index."+f, web.Public, m.exportIndex(f))
		rt.API("GET /api/v1/prices/export/inflows."+f, web.Public, m.exportInflows(f))
	}

	// Enumerators: prices (form and offline sync) and arrivals.
	enter := web.Perm(permEnter)
	rt.Page("GET /harga/input", enter, m.entryMarkets)
	rt.Page("GET /harga/input/{market}", enter, m.entryForm)
	rt.Page("POST /harga/input/{market}", enter, m.entrySubmit, web.WithLimit(m.entryLimit))
	rt.API("POST /api/v1/prices/observations", enter, m.apiRecord, web.WithLimit(m.entryLimit))
	rt.Page("GET /harga/asal/catat", enter, m.inflowForm)
	rt.Page("POST /harga/asal/catat", enter, m.inflowSubmit)
	rt.API("POST /api/v1/prices/inflows", enter, m.apiRecordInflow)

	// Supervisors review entered prices.
	approve := web.Perm(permApprove)
	rt.Page("GET /harga/tinjau", approve, m.reviewList)
	rt.Page("GET /harga/tinjau/{id}", approve, m.reviewDetail)
	rt.Page("POST /harga/tinjau/{id}", approve, m.reviewSubmit)
	rt.API("GET /api/v1/prices/observations", approve, m.apiReviewQueue)
	rt.API("GET /api/v1/prices/observations/{id}", approve, m.apiObservation)
	rt.API("POST /api/v1/prices/observations/{id}/review", approve, m.apiReview)

	// The inflation control team's alerts.
	rt.Page("GET /harga/peringatan", web.Perm(permAlerts), m.alertsPage)
	rt.API("GET /api/v1/prices/alerts", web.Perm(permAlerts), m.apiAlerts)

	// Reference data.
	manage := web.Perm(permManage)
	rt.Page("GET /harga/kelola", manage, m.manageHome)
	rt.Page("GET /harga/kelola/pasar/{code}", manage, m.marketEdit)
	rt.Page("POST /harga/kelola/pasar/{code}", manage, m.marketSave)
	rt.Page("POST /harga/kelola/pasar/{code}/pedagang", manage, m.traderSave)
	rt.Page("GET /harga/kelola/komoditas/{code}", manage, m.ownerManager(m.commodityEdit))
	rt.Page("POST /harga/kelola/komoditas/{code}", manage, m.ownerManager(m.commoditySave))
	rt.Page("POST /harga/kelola/komoditas/{code}/acuan", manage, m.ownerManager(m.referenceAdd))
	rt.Page("POST /harga/kelola/komoditas/{code}/acuan/{id}/hapus", manage, m.ownerManager(m.referenceDelete))
	rt.Page("GET /harga/kelola/keranjang/{id}", manage, m.ownerManager(m.basketEdit))
	rt.Page("POST /harga/kelola/keranjang/{id}", manage, m.ownerManager(m.basketSave))
	rt.Page("GET /harga/kelola/pengaturan", manage, m.ownerManager(m.settingsPage))
	rt.Page("POST /harga/kelola/pengaturan", manage, m.ownerManager(m.settingsSave))
	rt.Page("GET /harga/kelola/impor", manage, m.ownerManager(m.importPage))
	rt.Page("POST /harga/kelola/impor", manage, m.ownerManager(m.importSubmit))
	rt.Page("POST /harga/kelola/asal", manage, m.ownerManager(m.originSave))
}

// ownerManager admits those holding prices.manage on the unit that owns
// the city's price data (the trade agency; a city administrator holds it
// everywhere): commodities, reference prices, baskets, settings, origin
// regions and imports are the city's and kept by that unit. Markets and
// traders are checked against each market's own unit instead.
func (m *Module) ownerManager(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ok, err := m.managesPriceData(r)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		if !ok {
			m.forbidden(w, r)
			return
		}
		h(w, r)
	}
}

func (m *Module) managesPriceData(r *http.Request) (bool, error) {
	unit, err := m.store.marketUnit(r.Context())
	if err != nil {
		return false, err
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return false, err
	}
	return web.PrincipalOf(r).Can(permManage, unit, tree), nil
}

// actor is the request's principal and address.
func actorOf(r *http.Request) Actor {
	return Actor{P: web.PrincipalOf(r), IP: web.ClientIP(r)}
}

func (m *Module) t(r *http.Request, key string, args ...any) string {
	return m.d.Shell.T(r, key, args...)
}

// msg translates a store's field error.
func (m *Module) msg(r *http.Request, fe *FieldError) string {
	return m.t(r, fe.Key, localize(web.LocaleOf(r), fe.Args)...)
}

// page renders one of the module's templates.
func (m *Module) page(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	sh := m.d.Shell
	sh.Render.Page(w, r, status, "prices/"+name, sh.Render.View(r, title, data))
}

func (m *Module) forbidden(w http.ResponseWriter, r *http.Request) {
	m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.t(r, "error.forbidden"))
}

func (m *Module) notFound(w http.ResponseWriter, r *http.Request) { m.d.Shell.NotFound(w, r) }

// pageError answers a page request that failed in the store.
func (m *Module) pageError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		m.notFound(w, r)
	case errors.Is(err, ErrForbidden):
		m.forbidden(w, r)
	default:
		var fe *FieldError
		if errors.As(err, &fe) {
			m.d.Shell.Render.Error(w, r, http.StatusUnprocessableEntity, m.msg(r, fe))
			return
		}
		m.d.Shell.ServerError(w, r, err)
	}
}

// apiError answers an API request that failed in the store.
func (m *Module) apiError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *FieldError
	switch {
	case errors.Is(err, ErrNotFound):
		web.WriteError(w, r, http.StatusNotFound, "not_found", m.t(r, "error.not_found"), nil)
	case errors.Is(err, ErrForbidden):
		web.WriteError(w, r, http.StatusForbidden, "forbidden", m.t(r, "error.forbidden"), nil)
	case errors.As(err, &fe):
		msg := m.msg(r, fe)
		m.d.Shell.WriteAPIError(w, r, web.ValidationError(msg, map[string]string{fe.Field: msg}))
	default:
		m.d.Shell.WriteAPIError(w, r, err)
	}
}

// pathID reads a numeric path value; 0 when it is not one.
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// randomToken makes an opaque random token (form batch keys).
func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// changeView is a price change as the pages show it: an arrow and a
// colour by direction (a rise is bad news for shoppers, so red).
type changeView struct {
	Has   bool
	Text  string
	Class string // up, down, flat
	Arrow string
	Since string // the compared price and day, for the title
}

func newChange(loc i18n.Locale, c *Change) changeView {
	if c == nil {
		return changeView{}
	}
	v := changeView{Has: true, Text: fmtPct(loc, c.Pct)}
	if c.Day != "" {
		v.Since = fmtRupiah(loc, c.Price) + " · " + fmtDay(c.Day)
	}
	switch {
	case c.Pct >= 0.05:
		v.Class, v.Arrow = "up", "▲"
	case c.Pct <= -0.05:
		v.Class, v.Arrow = "down", "▼"
	default:
		v.Class, v.Arrow = "flat", "▬"
	}
	return v
}

// pctView is an inflation figure (nil: no comparison month).
func pctView(loc i18n.Locale, p *float64) changeView {
	if p == nil {
		return changeView{}
	}
	return newChange(loc, &Change{Pct: *p})
}

// optRupiah formats an optional price, "—" when there is none.
func optRupiah(loc i18n.Locale, p *float64) string {
	if p == nil {
		return "—"
	}
	return fmtRupiah(loc, *p)
}

// writeJSONCached writes a public, cacheable JSON answer (the caller sets
// Cache-Control); web.WriteJSON always says no-store.
func writeJSONCached(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}
