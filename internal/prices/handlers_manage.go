package prices

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
	"github.com/sodamolek/sodamolek/internal/prices/index"
)

// newCode is the path value that opens an empty form.
const newCode = "baru"

type basketStatusView struct {
	Basket
	Computed string
}

// manageHome is the reference-data overview: markets (those of the
// manager's units), and for managers of the city's price data
// (ownerManager) commodities, baskets, thresholds, origin regions and
// imports.
func (m *Module) manageHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := web.PrincipalOf(r)
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	all, err := m.store.Markets(ctx, false)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	var markets []Market
	for _, mk := range all {
		if p.Can(permManage, mk.UnitCode, tree) {
			markets = append(markets, mk)
		}
	}
	owner, err := m.managesPriceData(r)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	data := map[string]any{"Markets": markets, "City": owner, "Done": r.URL.Query().Get("ok")}
	if owner {
		comms, err := m.store.Commodities(ctx, false)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		baskets, err := m.store.Baskets(ctx)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		var bv []basketStatusView
		for _, b := range baskets {
			v := basketStatusView{Basket: b, Computed: "—"}
			if !b.ComputedAt.IsZero() {
				v.Computed = b.ComputedAt.In(m.d.Location).Format("02/01/2006 15:04")
			}
			bv = append(bv, v)
		}
		settings, err := m.store.Settings(ctx)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		origins, err := m.store.Origins(ctx)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		loc := web.LocaleOf(r)
		data["Commodities"], data["Baskets"], data["Origins"] = comms, bv, origins
		data["DeviationText"], data["WeeklyText"] = fmtNumber(loc, settings.DeviationPct, -1), fmtNumber(loc, settings.WeeklyRisePct, -1)
	}
	m.page(w, r, http.StatusOK, "manage.html", m.t(r, "prices.manage_title"), data)
}

// manageableUnits are the units whose markets the principal may manage.
func (m *Module) manageableUnits(r *http.Request) ([]units.Unit, *units.Tree, error) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return nil, nil, err
	}
	p := web.PrincipalOf(r)
	var out []units.Unit
	for _, u := range tree.All() {
		if u.Active && u.Type != units.TypeKelurahan && p.Can(permManage, u.Code, tree) {
			out = append(out, u)
		}
	}
	return out, tree, nil
}

type marketFormView struct {
	New      bool
	Market   Market
	Lat, Lon string
	Units    []units.Unit
	Traders  []Trader
	Problem  string
	Field    string
	Done     string
}

func coordText(p *float64) string {
	if p == nil {
		return ""
	}
	return formatNumber(*p)
}

// marketEdit is the form of a market (path "baru" for a new one) with its
// traders.
func (m *Module) marketEdit(w http.ResponseWriter, r *http.Request) {
	v := marketFormView{New: r.PathValue("code") == newCode, Done: r.URL.Query().Get("ok"), Market: Market{Active: true}}
	us, tree, err := m.manageableUnits(r)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	v.Units = us
	if !v.New {
		mk, err := m.store.MarketByCode(r.Context(), r.PathValue("code"))
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		if !web.PrincipalOf(r).Can(permManage, mk.UnitCode, tree) {
			m.forbidden(w, r)
			return
		}
		v.Market, v.Lat, v.Lon = mk, coordText(mk.Lat), coordText(mk.Lon)
		if v.Traders, err = m.store.Traders(r.Context(), mk.ID, false); err != nil {
			m.pageError(w, r, err)
			return
		}
	}
	m.page(w, r, http.StatusOK, "market_edit.html", m.t(r, "prices.market_edit_title"), v)
}

// parseCoords reads an optional position; ok is false when only one of
// the two is given or either is not a number.
func parseCoords(latRaw, lonRaw string) (lat, lon *float64, ok bool) {
	latRaw, lonRaw = strings.TrimSpace(latRaw), strings.TrimSpace(lonRaw)
	if latRaw == "" && lonRaw == "" {
		return nil, nil, true
	}
	a, ok1 := parseNumber(latRaw)
	b, ok2 := parseNumber(lonRaw)
	if !ok1 || !ok2 {
		return nil, nil, false
	}
	return &a, &b, true
}

// marketSave creates or updates a market; both its old and its new unit
// must be the manager's.
func (m *Module) marketSave(w http.ResponseWriter, r *http.Request) {
	isNew := r.PathValue("code") == newCode
	us, tree, err := m.manageableUnits(r)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	p := web.PrincipalOf(r)
	mk := Market{Code: r.PathValue("code"), Name: r.PostFormValue("name"), Address: r.PostFormValue("address"),
		UnitCode: r.PostFormValue("unit_code"), Active: r.PostFormValue("active") != ""}
	if isNew {
		mk.Code = r.PostFormValue("code")
		if _, err := m.store.MarketByCode(r.Context(), strings.TrimSpace(mk.Code)); err == nil {
			err = fieldErr("code", "prices.err.code_taken")
			m.marketFormError(w, r, mk, us, err)
			return
		}
	} else {
		old, err := m.store.MarketByCode(r.Context(), mk.Code)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		if !p.Can(permManage, old.UnitCode, tree) {
			m.forbidden(w, r)
			return
		}
	}
	if !p.Can(permManage, mk.UnitCode, tree) {
		m.marketFormError(w, r, mk, us, fieldErr("unit_code", "prices.err.unit_forbidden"))
		return
	}
	var ok bool
	if mk.Lat, mk.Lon, ok = parseCoords(r.PostFormValue("lat"), r.PostFormValue("lon")); !ok {
		m.marketFormError(w, r, mk, us, fieldErr("lat", "prices.err.coordinates"))
		return
	}
	if err := m.store.SaveMarket(r.Context(), actorOf(r), mk); err != nil {
		m.marketFormError(w, r, mk, us, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/pasar/"+url.PathEscape(strings.TrimSpace(mk.Code))+"?ok=saved", http.StatusSeeOther)
}

func (m *Module) marketFormError(w http.ResponseWriter, r *http.Request, mk Market, us []units.Unit, err error) {
	var fe *FieldError
	if !errors.As(err, &fe) {
		m.pageError(w, r, err)
		return
	}
	v := marketFormView{New: r.PathValue("code") == newCode, Market: mk, Lat: r.PostFormValue("lat"), Lon: r.PostFormValue("lon"), Units: us,
		Problem: m.msg(r, fe), Field: fe.Field}
	if !v.New {
		if old, err := m.store.MarketByCode(r.Context(), r.PathValue("code")); err == nil {
			v.Traders, _ = m.store.Traders(r.Context(), old.ID, false)
		}
	}
	m.page(w, r, http.StatusUnprocessableEntity, "market_edit.html", m.t(r, "prices.market_edit_title"), v)
}

// traderSave adds a trader to a market or renames or (de)activates one.
func (m *Module) traderSave(w http.ResponseWriter, r *http.Request) {
	mk, err := m.store.MarketByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	if !web.PrincipalOf(r).Can(permManage, mk.UnitCode, tree) {
		m.forbidden(w, r)
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	t := Trader{ID: id, MarketID: mk.ID, Name: r.PostFormValue("name"), Active: id == 0 || r.PostFormValue("active") != ""}
	if err := m.store.SaveTrader(r.Context(), actorOf(r), t); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			traders, _ := m.store.Traders(r.Context(), mk.ID, false)
			us, _, _ := m.manageableUnits(r)
			m.page(w, r, http.StatusUnprocessableEntity, "market_edit.html", m.t(r, "prices.market_edit_title"), marketFormView{Market: mk,
				Lat: coordText(mk.Lat), Lon: coordText(mk.Lon), Units: us, Traders: traders, Problem: m.msg(r, fe), Field: "trader"})
			return
		}
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/pasar/"+url.PathEscape(mk.Code)+"?ok=trader", http.StatusSeeOther)
}

type commodityFormView struct {
	New        bool
	Commodity  Commodity
	Groups     []index.Group
	Categories []string
	Refs       []refRowView
	Problem    string
	Field      string
	Done       string
	Ref        Reference
	RefPrice   string
}

type refRowView struct {
	ID                                 int64
	Kind, Price, Basis, From, To, Note string
}

// commodityEdit is the form of a commodity with its HET/HAP prices.
func (m *Module) commodityEdit(w http.ResponseWriter, r *http.Request) {
	v := commodityFormView{New: r.PathValue("code") == newCode, Commodity: Commodity{Active: true, GroupCode: "01", Unit: "kg"}, Done: r.URL.Query().Get("ok"),
		Ref: Reference{Kind: RefHET}}
	if !v.New {
		c, err := m.store.CommodityByCode(r.Context(), r.PathValue("code"))
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		v.Commodity = c
	}
	m.renderCommodity(w, r, http.StatusOK, v)
}

func (m *Module) renderCommodity(w http.ResponseWriter, r *http.Request, status int, v commodityFormView) {
	v.Groups, v.Categories = index.ExpenditureGroups(), Categories
	if !v.New {
		refs, err := m.store.References(r.Context())
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		loc := web.LocaleOf(r)
		for _, ref := range refs[v.Commodity.ID] {
			v.Refs = append(v.Refs, refRowView{ID: ref.ID, Kind: ref.Kind, Price: fmtRupiah(loc, ref.Price), Basis: ref.LegalBasis,
				From: fmtDay(ref.ValidFrom), To: fmtDay(ref.ValidTo), Note: ref.Note})
		}
	}
	m.page(w, r, status, "commodity_edit.html", m.t(r, "prices.commodity_edit_title"), v)
}

// commoditySave creates or updates a commodity.
func (m *Module) commoditySave(w http.ResponseWriter, r *http.Request) {
	isNew := r.PathValue("code") == newCode
	c := Commodity{Code: r.PathValue("code"), Name: r.PostFormValue("name"), Variety: r.PostFormValue("variety"), Unit: r.PostFormValue("unit"),
		GroupCode: r.PostFormValue("group_code"), Category: r.PostFormValue("category"), Active: r.PostFormValue("active") != ""}
	var err error
	if isNew {
		c.Code = strings.TrimSpace(r.PostFormValue("code"))
		if _, e := m.store.CommodityByCode(r.Context(), c.Code); e == nil {
			err = fieldErr("code", "prices.err.code_taken")
		}
	} else if old, e := m.store.CommodityByCode(r.Context(), c.Code); e != nil {
		m.pageError(w, r, e)
		return
	} else {
		c.ID = old.ID
	}
	if err == nil {
		err = m.store.SaveCommodity(r.Context(), actorOf(r), c)
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		m.renderCommodity(w, r, http.StatusUnprocessableEntity, commodityFormView{New: isNew, Commodity: c, Problem: m.msg(r, fe), Field: fe.Field,
			Ref: Reference{Kind: RefHET}})
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/komoditas/"+url.PathEscape(c.Code)+"?ok=saved", http.StatusSeeOther)
}

// referenceAdd adds a HET/HAP price to a commodity.
func (m *Module) referenceAdd(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	c, err := m.store.CommodityByCode(r.Context(), code)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	ref := Reference{Kind: r.PostFormValue("kind"), LegalBasis: r.PostFormValue("legal_basis"), ValidFrom: r.PostFormValue("valid_from"),
		ValidTo: r.PostFormValue("valid_to"), Note: r.PostFormValue("note")}
	raw := r.PostFormValue("price")
	var ok bool
	if ref.Price, ok = parseNumber(raw); !ok {
		err = fieldErr("price", "prices.err.price")
	} else {
		err = m.store.AddReference(r.Context(), actorOf(r), code, ref)
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		m.renderCommodity(w, r, http.StatusUnprocessableEntity, commodityFormView{Commodity: c, Problem: m.msg(r, fe), Field: "ref_" + fe.Field,
			Ref: ref, RefPrice: raw})
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/komoditas/"+url.PathEscape(code)+"?ok=reference", http.StatusSeeOther)
}

// referenceDelete removes a reference price entered by mistake.
func (m *Module) referenceDelete(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := m.store.DeleteReference(r.Context(), actorOf(r), code, pathID(r, "id")); err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/komoditas/"+url.PathEscape(code)+"?ok=reference_deleted", http.StatusSeeOther)
}

type weightRowView struct {
	Code, Name, Group, Value string
}

type basketFormView struct {
	New     bool
	ID      string
	Name    string
	Base    string
	Desc    string
	Basket  Basket
	Rows    []weightRowView
	Problem string
	Done    string
}

// basketEdit is the form of a basket: its base month and the weight of
// each commodity (empty: not in the basket).
func (m *Module) basketEdit(w http.ResponseWriter, r *http.Request) {
	v := basketFormView{New: r.PathValue("id") == newCode, ID: r.PathValue("id"), Done: r.URL.Query().Get("ok")}
	weights := map[string]float64{}
	if !v.New {
		b, err := m.basketByPathID(r)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		v.Basket, v.Name, v.Base, v.Desc = b, b.Name, b.Base.String(), b.Description
		for _, wt := range b.Weights {
			weights[wt.Code] = wt.Weight
		}
	}
	m.renderBasket(w, r, http.StatusOK, v, weights)
}

func (m *Module) basketByPathID(r *http.Request) (Basket, error) {
	id := pathID(r, "id")
	if id == 0 {
		return Basket{}, ErrNotFound
	}
	return m.store.loadBasket(r.Context(), m.store.db, `id = $1`, id)
}

func (m *Module) renderBasket(w http.ResponseWriter, r *http.Request, status int, v basketFormView, weights map[string]float64) {
	comms, err := m.store.Commodities(r.Context(), false)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	for _, c := range comms {
		row := weightRowView{Code: c.Code, Name: c.Label(), Group: c.GroupCode}
		if wt, ok := weights[c.Code]; ok {
			row.Value = formatNumber(wt)
		}
		v.Rows = append(v.Rows, row)
	}
	m.page(w, r, status, "basket_edit.html", m.t(r, "prices.basket_edit_title"), v)
}

// basketSave creates or replaces a basket.
func (m *Module) basketSave(w http.ResponseWriter, r *http.Request) {
	v := basketFormView{New: r.PathValue("id") == newCode, ID: r.PathValue("id"), Name: r.PostFormValue("name"), Base: r.PostFormValue("base"),
		Desc: r.PostFormValue("description")}
	if !v.New {
		b, err := m.basketByPathID(r)
		if err != nil {
			m.pageError(w, r, err)
			return
		}
		v.Basket, v.Name = b, b.Name // renaming would make a new basket
	} else if _, err := m.store.BasketByName(r.Context(), strings.TrimSpace(v.Name)); err == nil {
		v.Problem = m.t(r, "prices.err.basket_taken")
	}
	comms, err := m.store.Commodities(r.Context(), false)
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	weights := map[string]float64{}
	for _, c := range comms {
		raw := strings.TrimSpace(r.PostFormValue("w_" + c.Code))
		if raw == "" {
			continue
		}
		f, ok := parseNumber(raw)
		if !ok || !(f > 0) {
			v.Problem = m.t(r, "prices.err.weight", c.Code)
			continue
		}
		weights[c.Code] = f
	}
	if v.Problem == "" {
		err = m.store.SaveBasket(r.Context(), actorOf(r), BasketInput{Name: v.Name, Base: v.Base, Description: v.Desc, Weights: weights})
		var fe *FieldError
		if errors.As(err, &fe) {
			v.Problem = m.msg(r, fe)
		} else if err != nil {
			m.pageError(w, r, err)
			return
		}
	}
	if v.Problem != "" {
		m.renderBasket(w, r, http.StatusUnprocessableEntity, v, weights)
		return
	}
	b, err := m.store.BasketByName(r.Context(), strings.TrimSpace(v.Name))
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/keranjang/"+itoa(b.ID)+"?ok=saved", http.StatusSeeOther)
}

// settingsPage shows the thresholds form.
func (m *Module) settingsPage(w http.ResponseWriter, r *http.Request) {
	s, err := m.store.Settings(r.Context())
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	m.page(w, r, http.StatusOK, "settings.html", m.t(r, "prices.settings_title"), map[string]any{
		"Deviation": formatNumber(s.DeviationPct), "Weekly": formatNumber(s.WeeklyRisePct), "Done": r.URL.Query().Get("ok"), "Field": "", "Problem": "",
	})
}

// settingsSave stores the thresholds.
func (m *Module) settingsSave(w http.ResponseWriter, r *http.Request) {
	dev, ok1 := parseNumber(r.PostFormValue("deviation_pct"))
	week, ok2 := parseNumber(r.PostFormValue("weekly_rise_pct"))
	var err error
	switch {
	case !ok1:
		err = fieldErr("deviation_pct", "prices.err.pct")
	case !ok2:
		err = fieldErr("weekly_rise_pct", "prices.err.pct")
	default:
		err = m.store.SaveSettings(r.Context(), actorOf(r), Settings{DeviationPct: dev, WeeklyRisePct: week})
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		m.page(w, r, http.StatusUnprocessableEntity, "settings.html", m.t(r, "prices.settings_title"), map[string]any{
			"Deviation": r.PostFormValue("deviation_pct"), "Weekly": r.PostFormValue("weekly_rise_pct"), "Problem": m.msg(r, fe), "Field": fe.Field, "Done": "",
		})
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola/pengaturan?ok=saved", http.StatusSeeOther)
}

// originSave adds or updates an origin region.
func (m *Module) originSave(w http.ResponseWriter, r *http.Request) {
	lat, lon, ok := parseCoords(r.PostFormValue("lat"), r.PostFormValue("lon"))
	var err error
	if !ok {
		err = fieldErr("lat", "prices.err.coordinates")
	} else {
		err = m.store.SaveOrigin(r.Context(), actorOf(r), Origin{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
			Province: r.PostFormValue("province"), Lat: lat, Lon: lon})
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		m.d.Shell.Render.Error(w, r, http.StatusUnprocessableEntity, m.msg(r, fe))
		return
	}
	if err != nil {
		m.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/harga/kelola?ok=origin#asal", http.StatusSeeOther)
}
