package admin

import (
	"database/sql"
	"errors"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type unitRow struct {
	units.Unit
	Depth    int
	Parent   string
	AreaSize int
}

type unitsPage struct {
	base
	Units  []unitRow
	CanNew bool
}

// listUnits shows the organisation tree in chart order, the units the
// principal may edit linked.
func (m *Module) listUnits(w http.ResponseWriter, r *http.Request) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	p := web.PrincipalOf(r)
	data := unitsPage{base: m.base(r, "units"), CanNew: true}
	for _, u := range tree.All() {
		if !p.Can(permUnits, u.Code, tree) {
			continue
		}
		data.Units = append(data.Units, unitRow{Unit: u, Depth: min(tree.Depth(u.Code), 3), Parent: unitLabel(tree, u.ParentCode),
			AreaSize: len(u.ServiceArea)})
	}
	m.render(w, r, http.StatusOK, "units_list.html", "admin.units.title", data)
}

// unitForm is the unit form as posted; it is shown again as typed when
// refused. Lat and Lon stay text so that "abc" comes back for correction.
type unitForm struct {
	Code, Name, ShortName, Type, ParentCode, RegionCode, Lat, Lon string
	ServiceArea                                                   []string
	Active                                                        bool
}

// optgroup is a kecamatan with its kelurahan, for grouped selects.
type optgroup struct {
	Label   string
	Options []option
}

type unitPage struct {
	base
	New     bool
	Form    unitForm
	Types   []option
	Parents []option
	// RootAllowed offers "no parent" (a top-level unit): only a city-wide
	// units.manage holder may add or keep one.
	RootAllowed  bool
	Regions      []optgroup
	ServiceAreas []optgroup
}

// unitAudit is how a unit appears in the audit log's before and after.
type unitAudit struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	ShortName   string   `json:"short_name"`
	Type        string   `json:"type"`
	ParentCode  string   `json:"parent_code"`
	RegionCode  string   `json:"region_code"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
	Active      bool     `json:"active"`
	ServiceArea []string `json:"service_area"`
}

func auditOf(u units.Unit) unitAudit {
	area := slices.Clone(u.ServiceArea)
	slices.Sort(area)
	area = slices.Compact(area)
	if area == nil {
		area = []string{}
	}
	return unitAudit{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: string(u.Type), ParentCode: u.ParentCode,
		RegionCode: u.RegionCode, Lat: u.Lat, Lon: u.Lon, Active: u.Active, ServiceArea: area}
}

func (a unitAudit) equal(b unitAudit) bool {
	sameFloat := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Code == b.Code && a.Name == b.Name && a.ShortName == b.ShortName && a.Type == b.Type &&
		a.ParentCode == b.ParentCode && a.RegionCode == b.RegionCode && sameFloat(a.Lat, b.Lat) && sameFloat(a.Lon, b.Lon) &&
		a.Active == b.Active && slices.Equal(a.ServiceArea, b.ServiceArea)
}

func formOf(u units.Unit) unitForm {
	f := unitForm{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: string(u.Type), ParentCode: u.ParentCode,
		RegionCode: u.RegionCode, ServiceArea: u.ServiceArea, Active: u.Active}
	if u.Lat != nil && u.Lon != nil {
		f.Lat = strconv.FormatFloat(*u.Lat, 'f', -1, 64)
		f.Lon = strconv.FormatFloat(*u.Lon, 'f', -1, 64)
	}
	return f
}

func (m *Module) newUnit(w http.ResponseWriter, r *http.Request) {
	m.unitForm(w, r, http.StatusOK, unitPage{base: m.base(r, "units"), New: true, Form: unitForm{Active: true}})
}

// showUnit is a unit's edit form; an unknown code is 404.
func (m *Module) showUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := m.editableUnit(w, r)
	if !ok {
		return
	}
	m.unitForm(w, r, http.StatusOK, unitPage{base: m.base(r, "units"), Form: formOf(u)})
}

// editableUnit loads the unit named in the path and checks the
// principal's right on it.
func (m *Module) editableUnit(w http.ResponseWriter, r *http.Request) (units.Unit, bool) {
	ctx := r.Context()
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return units.Unit{}, false
	}
	u, ok := tree.Get(r.PathValue("code"))
	if !ok {
		m.d.Shell.NotFound(w, r)
		return units.Unit{}, false
	}
	if !web.Authorize(r, permUnits, u.Code, tree) {
		m.forbidden(w, r)
		return units.Unit{}, false
	}
	return u, true
}

func (m *Module) createUnit(w http.ResponseWriter, r *http.Request) {
	m.saveUnit(w, r, nil)
}

func (m *Module) updateUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := m.editableUnit(w, r)
	if !ok {
		return
	}
	m.saveUnit(w, r, &u)
}

// saveUnit validates the form, saves the unit and records the change
// with the unit's state before and after. old is nil for a new unit.
func (m *Module) saveUnit(w http.ResponseWriter, r *http.Request, old *units.Unit) {
	ctx := r.Context()
	if err := parseForm(w, r); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusBadRequest, m.d.Shell.T(r, "admin.error.form"))
		return
	}
	data := unitPage{base: m.base(r, "units"), New: old == nil, Form: readUnitForm(r)}
	if old != nil {
		data.Form.Code = old.Code // the code is the unit's identity; other tables refer to it
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	u, denied := m.checkUnit(r, tree, old, &data)
	if denied {
		m.forbidden(w, r)
		return
	}
	if len(data.Errors) > 0 {
		m.unitForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	action := "unit.created"
	var before any
	if old != nil {
		if auditOf(*old).equal(auditOf(u)) {
			// Nothing changed: no write, no audit row.
			redirectOK(w, r, "/admin/units/"+u.Code, "unit_saved")
			return
		}
		action, before = "unit.updated", auditOf(*old)
	}
	// The audit row is written in the unit's own transaction: the change
	// and its record commit together or not at all. A new code must not
	// overwrite a unit another administrator created meanwhile.
	err = m.d.Units.Write(ctx, u, units.WriteOptions{CreateOnly: old == nil, InTx: func(tx *sql.Tx, _ *units.Unit) error {
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actor(r), Action: action, ObjectType: "unit",
			ObjectID: u.Code, Before: before, After: auditOf(u)})
	}})
	var ve *units.ValidationError
	if errors.As(err, &ve) {
		data.Errors.add(unitField(ve.Field), m.d.Shell.T(r, "admin.units.error."+ve.Code))
		m.unitForm(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	if old == nil {
		redirectOK(w, r, "/admin/units/"+u.Code, "unit_created")
		return
	}
	redirectOK(w, r, "/admin/units/"+u.Code, "unit_saved")
}

func readUnitForm(r *http.Request) unitForm {
	return unitForm{Code: strings.TrimSpace(r.PostFormValue("code")), Name: strings.TrimSpace(r.PostFormValue("name")),
		ShortName: strings.TrimSpace(r.PostFormValue("short_name")), Type: strings.TrimSpace(r.PostFormValue("type")),
		ParentCode: strings.TrimSpace(r.PostFormValue("parent_code")), RegionCode: strings.TrimSpace(r.PostFormValue("region_code")),
		Lat: strings.TrimSpace(r.PostFormValue("lat")), Lon: strings.TrimSpace(r.PostFormValue("lon")),
		ServiceArea: formValues(r, "service_area"), Active: r.PostFormValue("active") == "on"}
}

var unitCodePattern = regexp.MustCompile(`^[a-z0-9._-]{1,64}$`)

// checkUnit turns the form into a unit, adding a message for every field
// that is wrong, so that one round trip shows them all (units.Store.Save
// stops at the first). denied is true when the principal may not place
// the unit where the form puts it.
func (m *Module) checkUnit(r *http.Request, tree *units.Tree, old *units.Unit, data *unitPage) (u units.Unit, denied bool) {
	sh := m.d.Shell
	p := web.PrincipalOf(r)
	f := data.Form
	errs := data.Errors
	bad := func(field, key string) { errs.add(field, sh.T(r, "admin.units.error."+key)) }
	u = units.Unit{Code: f.Code, Name: f.Name, ShortName: f.ShortName, Type: units.Type(f.Type), ParentCode: f.ParentCode,
		RegionCode: f.RegionCode, Active: f.Active, ServiceArea: f.ServiceArea}
	if old == nil {
		if !unitCodePattern.MatchString(f.Code) {
			bad("code", "unit_code_invalid")
		} else if _, taken := tree.Get(f.Code); taken {
			// Save would overwrite the existing unit.
			bad("code", "unit_code_taken")
		}
	}
	if f.Name == "" || utf8.RuneCountInString(f.Name) > 200 {
		bad("name", "unit_name_invalid")
	}
	if utf8.RuneCountInString(f.ShortName) > 100 {
		bad("short_name", "unit_short_name_invalid")
	}
	if f.Type == "" {
		bad("type", "unit_type_required")
	} else if !slices.ContainsFunc(typeOptions(tree, ""), func(o option) bool { return o.Value == f.Type }) {
		bad("type", "unit_type_invalid")
	}
	switch {
	case f.ParentCode == "":
		if !p.CityWide(permUnits) && (old == nil || old.ParentCode != "") {
			return u, true
		}
	case f.ParentCode == f.Code:
		bad("parent_code", "unit_parent_cycle")
	default:
		if _, ok := tree.Get(f.ParentCode); !ok {
			bad("parent_code", "unit_parent_unknown")
		} else if old != nil && tree.IsWithin(f.ParentCode, old.Code) {
			bad("parent_code", "unit_parent_cycle")
		} else if (old == nil || f.ParentCode != old.ParentCode) && !p.Can(permUnits, f.ParentCode, tree) {
			// Moving a unit (or adding one) under a unit outside the
			// principal's reach would hand it to someone else.
			return u, true
		}
	}
	if f.RegionCode != "" {
		if _, ok := m.d.Regions.Lookup(f.RegionCode); !ok {
			bad("region_code", "unit_region_unknown")
		}
	}
	switch {
	case f.Lat == "" && f.Lon == "":
	case f.Lat == "" || f.Lon == "":
		bad("lat", "unit_location_incomplete")
	default:
		lat, err1 := strconv.ParseFloat(f.Lat, 64)
		lon, err2 := strconv.ParseFloat(f.Lon, 64)
		switch {
		case err1 != nil || math.IsNaN(lat) || lat < -90 || lat > 90:
			bad("lat", "unit_location_invalid")
		case err2 != nil || math.IsNaN(lon) || lon < -180 || lon > 180:
			bad("lon", "unit_location_invalid")
		default:
			u.Lat, u.Lon = &lat, &lon
		}
	}
	for _, code := range f.ServiceArea {
		if reg, ok := m.d.Regions.Lookup(code); !ok || reg.Level != "kelurahan" {
			bad("service_area", "unit_area_unknown")
			break
		}
	}
	return u, false
}

// unitField maps units.ValidationError's field names to the form's.
func unitField(f string) string {
	switch f {
	case "code", "name", "type", "parent_code", "lat", "lon", "region_code", "short_name", "service_area":
		return f
	}
	return "name"
}

// unitForm renders the unit form with its choices.
func (m *Module) unitForm(w http.ResponseWriter, r *http.Request, status int, data unitPage) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	p := web.PrincipalOf(r)
	f := data.Form
	data.Types = typeOptions(tree, f.Type)
	for i := range data.Types {
		key := "admin.unit_type." + data.Types[i].Value
		if m.d.Shell.Catalog().Has(key) {
			data.Types[i].Label = m.d.Shell.T(r, key)
		}
	}
	data.RootAllowed = p.CityWide(permUnits)
	var current string
	if !data.New {
		if u, ok := tree.Get(f.Code); ok {
			current = u.ParentCode
		}
	}
	for _, u := range tree.All() {
		// A unit cannot hang below itself or its own descendants; the
		// current parent stays on offer even outside the principal's
		// reach, so that saving other fields keeps it.
		if !data.New && tree.IsWithin(u.Code, f.Code) {
			continue
		}
		if u.Code != current && !p.Can(permUnits, u.Code, tree) {
			continue
		}
		data.Parents = append(data.Parents, option{Value: u.Code, Label: indent(tree.Depth(u.Code)) + u.DisplayName(),
			Selected: u.Code == f.ParentCode})
	}
	for _, kec := range m.d.Regions.Kecamatan() {
		regions := optgroup{Label: kec.Name}
		regions.Options = append(regions.Options, option{Value: kec.Code, Label: m.d.Shell.T(r, "admin.units.kecamatan", kec.Name),
			Selected: kec.Code == f.RegionCode})
		area := optgroup{Label: kec.Name}
		for _, kel := range m.d.Regions.KelurahanIn(kec.Code) {
			regions.Options = append(regions.Options, option{Value: kel.Code, Label: m.d.Shell.T(r, "admin.units.kelurahan", kel.Name),
				Selected: kel.Code == f.RegionCode})
			area.Options = append(area.Options, option{Value: kel.Code, Label: kel.Name, Selected: slices.Contains(f.ServiceArea, kel.Code)})
		}
		data.Regions = append(data.Regions, regions)
		data.ServiceAreas = append(data.ServiceAreas, area)
	}
	if data.New {
		m.render(w, r, status, "unit_edit.html", "admin.units.new_title", data)
		return
	}
	m.render(w, r, status, "unit_edit.html", "admin.units.edit_title", data, f.Code)
}

// seededTypes are the unit types every city starts with; each has a
// translated label (admin.unit_type.<type>).
var seededTypes = []units.Type{units.TypeCity, units.TypeSecretariat, units.TypeAgency, units.TypeDinas, units.TypeInspectorat,
	units.TypeSatpol, units.TypeKecamatan, units.TypeKelurahan, units.TypePuskesmas, units.TypeTeam, units.TypeExternal}

// typeOptions lists the seeded unit types and any other type already in
// use (the set is data, an administrator may have added one through the
// region profile), plus the one selected.
func typeOptions(tree *units.Tree, selected string) []option {
	seen := []string{}
	for _, t := range seededTypes {
		seen = append(seen, string(t))
	}
	for _, u := range tree.All() {
		if !slices.Contains(seen, string(u.Type)) && u.Type != "" {
			seen = append(seen, string(u.Type))
		}
	}
	out := make([]option, 0, len(seen))
	for _, t := range seen {
		out = append(out, option{Value: t, Label: t, Selected: t == selected})
	}
	return out
}
