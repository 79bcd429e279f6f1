package reports

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

// settingsView is the data of the categories and routing page.
type settingsView struct {
	base
	Categories []categoryForm
	Rules      []Rule
	Privacies  []Privacy
	Kecamatan  []regions.Region
	Kelurahan  []regions.Region
	Flash      string
	Error      string
}

type categoryForm struct {
	Category
	AttributesJSON string
}

func auditEntry(a actor, action string, id int64, after any) audit.Entry {
	return audit.Entry{Actor: a.Audit, Action: action, ObjectType: "report", ObjectID: audit.ObjectID(id), After: after}
}

// settingsPage is GET /petugas/pengaturan.
func (m *Module) settingsPage(w http.ResponseWriter, r *http.Request) {
	m.renderSettings(w, r, http.StatusOK, "")
}

func (m *Module) renderSettings(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	sh := m.d.Shell
	all, _, err := m.cats.all(r.Context())
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	rules, err := loadRules(r.Context(), m.d.DB)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	sv := settingsView{Rules: rules, Privacies: Privacies, Kecamatan: m.d.Regions.Kecamatan(), Kelurahan: m.d.Regions.Kelurahan(), Error: errMsg}
	for _, c := range all {
		b, _ := json.MarshalIndent(c.Attributes, "", "  ")
		sv.Categories = append(sv.Categories, categoryForm{c, string(b)})
	}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		sv.Flash = sh.T(r, "reports.flash_saved")
	}
	m.render(w, r, status, "settings.html", sh.T(r, "reports.settings_title"), &sv)
}

var categoryCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// saveCategoryForm is POST /petugas/pengaturan/kategori/{code} ("baru"
// with a code field creates one).
func (m *Module) saveCategoryForm(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	code := r.PathValue("code")
	creating := code == "baru"
	if creating {
		code = strings.TrimSpace(r.PostFormValue("code"))
	}
	fail := func(key string, args ...any) {
		m.renderSettings(w, r, http.StatusUnprocessableEntity, sh.T(r, key, args...))
	}
	if !categoryCode.MatchString(code) || code == "baru" {
		fail("reports.err_category_code")
		return
	}
	existing, exists, err := m.cats.get(r.Context(), code)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	if creating == exists {
		fail("reports.err_category_code")
		return
	}
	c := existing
	c.Code = code
	c.NameID, c.NameEN = strings.TrimSpace(r.PostFormValue("name_id")), strings.TrimSpace(r.PostFormValue("name_en"))
	c.DescID, c.DescEN = strings.TrimSpace(r.PostFormValue("description_id")), strings.TrimSpace(r.PostFormValue("description_en"))
	c.Group = strings.TrimSpace(r.PostFormValue("group"))
	c.Keywords = strings.TrimSpace(r.PostFormValue("keywords"))
	c.EmergencyNumbers = strings.TrimSpace(r.PostFormValue("emergency_numbers"))
	c.Active = r.PostFormValue("active") != ""
	c.SortOrder, _ = strconv.Atoi(r.PostFormValue("sort_order"))
	if c.NameID == "" || c.Group == "" {
		fail("reports.err_category_name")
		return
	}
	if !validPrivacy(r.PostFormValue("default_privacy")) {
		fail("reports.err_privacy")
		return
	}
	c.DefaultPrivacy = Privacy(r.PostFormValue("default_privacy"))
	if c.Response, err = ParseTarget(r.PostFormValue("response_target")); err != nil {
		fail("reports.err_target", r.PostFormValue("response_target"))
		return
	}
	if c.Resolution, err = ParseTarget(r.PostFormValue("resolution_target")); err != nil {
		fail("reports.err_target", r.PostFormValue("resolution_target"))
		return
	}
	var attrs []Attribute
	if raw := strings.TrimSpace(r.PostFormValue("attributes")); raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&attrs); err != nil {
			fail("reports.err_attributes_json", err.Error())
			return
		}
	}
	if err := validateAttributes(attrs); err != nil {
		fail("reports.err_attributes_json", err.Error())
		return
	}
	c.Attributes = attrs
	err = m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		if _, err := saveCategory(r.Context(), tx, c, m.now(), true); err != nil {
			return err
		}
		return m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: actorOf(r).Audit, Action: "report_category.saved",
			ObjectType: "report_category", ObjectID: code, After: map[string]any{"active": c.Active, "response": c.Response.String(),
				"resolution": c.Resolution.String(), "privacy": c.DefaultPrivacy}})
	})
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.cats.invalidate()
	http.Redirect(w, r, "/petugas/pengaturan?ok=1#kategori-"+code, http.StatusSeeOther)
}

// saveRuleForm is POST /petugas/pengaturan/rute: add or replace the rule
// of a category in an area.
func (m *Module) saveRuleForm(w http.ResponseWriter, r *http.Request) {
	sh := m.d.Shell
	ctx := r.Context()
	rule := Rule{Category: r.PostFormValue("category"), Level: r.PostFormValue("level"), AreaCode: strings.TrimSpace(r.PostFormValue("area")),
		Target: strings.TrimSpace(r.PostFormValue("target"))}
	fail := func(key string) { m.renderSettings(w, r, http.StatusUnprocessableEntity, sh.T(r, key)) }
	if _, ok, err := m.cats.get(ctx, rule.Category); err != nil || !ok {
		fail("reports.err_category_unknown")
		return
	}
	switch rule.Level {
	case LevelCity:
		rule.AreaCode = ""
	case LevelKecamatan, LevelKelurahan:
		reg, ok := m.d.Regions.Lookup(rule.AreaCode)
		if !ok || (rule.Level == LevelKecamatan) != (reg.Level == regions.LevelKecamatan) {
			fail("reports.err_area")
			return
		}
	default:
		fail("reports.err_area")
		return
	}
	tree, err := m.d.Units.Tree(ctx)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	if !validTarget(rule.Target, tree) {
		fail("reports.err_rule_target")
		return
	}
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := m.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_routes (category_code, area_level, area_code, target, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (category_code, area_level, area_code) DO UPDATE SET target = $4, updated_at = $5`,
			rule.Category, rule.Level, rule.AreaCode, rule.Target, database.TimeArg(now)); err != nil {
			return err
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actorOf(r).Audit, Action: "report_route.saved", ObjectType: "report_route",
			ObjectID: rule.Category + "/" + rule.Level + "/" + rule.AreaCode, After: map[string]any{"target": rule.Target}})
	})
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	m.rules.invalidate()
	http.Redirect(w, r, "/petugas/pengaturan?ok=1#rute", http.StatusSeeOther)
}

// deleteRuleForm is POST /petugas/pengaturan/rute/{id}/hapus.
func (m *Module) deleteRuleForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		m.d.Shell.NotFound(w, r)
		return
	}
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM report_routes WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: actorOf(r).Audit, Action: "report_route.deleted", ObjectType: "report_route", ObjectID: audit.ObjectID(id)})
	})
	if errors.Is(err, ErrNotFound) {
		m.d.Shell.NotFound(w, r)
		return
	}
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	m.rules.invalidate()
	http.Redirect(w, r, "/petugas/pengaturan?ok=1#rute", http.StatusSeeOther)
}

// holidaysView is the data of the holidays page.
type holidaysView struct {
	base
	Year     int
	Years    []int
	Holidays []workdays.Holiday
	Kinds    []workdays.Kind
	Flash    string
	Error    string
}

// holidaysPage is GET /petugas/pengaturan/hari-libur?tahun=.
func (m *Module) holidaysPage(w http.ResponseWriter, r *http.Request) {
	m.renderHolidays(w, r, http.StatusOK, "")
}

func (m *Module) renderHolidays(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	sh := m.d.Shell
	year := m.now().In(m.d.Location).Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("tahun")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	list, err := m.calendar.List(r.Context(), year)
	if err != nil {
		sh.ServerError(w, r, err)
		return
	}
	hv := holidaysView{Year: year, Holidays: list, Kinds: workdays.Kinds, Error: errMsg}
	for y := year - 1; y <= year+1; y++ {
		hv.Years = append(hv.Years, y)
	}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		hv.Flash = sh.T(r, "reports.flash_saved")
	}
	m.render(w, r, status, "holidays.html", sh.T(r, "reports.holidays_title"), &hv)
}

func (m *Module) holidayTx(r *http.Request, action, date string, fn func(tx *sql.Tx) error) error {
	return m.d.DB.Tx(r.Context(), func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return m.d.Audit.Record(r.Context(), tx, audit.Entry{Actor: actorOf(r).Audit, Action: action, ObjectType: "holiday", ObjectID: date})
	})
}

// saveHolidayForm is POST /petugas/pengaturan/hari-libur.
func (m *Module) saveHolidayForm(w http.ResponseWriter, r *http.Request) {
	h := workdays.Holiday{Date: strings.TrimSpace(r.PostFormValue("date")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Kind: workdays.Kind(r.PostFormValue("kind")), Provisional: r.PostFormValue("provisional") != "", Source: "admin"}
	if err := h.Validate(); err != nil {
		m.renderHolidays(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if err := m.holidayTx(r, "holiday.saved", h.Date, func(tx *sql.Tx) error { return m.calendar.Save(r.Context(), tx, h) }); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/petugas/pengaturan/hari-libur?ok=1&tahun="+h.Date[:4], http.StatusSeeOther)
}

// deleteHolidayForm is POST /petugas/pengaturan/hari-libur/{date}/hapus.
func (m *Module) deleteHolidayForm(w http.ResponseWriter, r *http.Request) {
	date := r.PathValue("date")
	if _, err := time.Parse(workdays.DateLayout, date); err != nil {
		m.d.Shell.NotFound(w, r)
		return
	}
	if err := m.holidayTx(r, "holiday.deleted", date, func(tx *sql.Tx) error { return m.calendar.Delete(r.Context(), tx, date) }); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/petugas/pengaturan/hari-libur?ok=1&tahun="+date[:4], http.StatusSeeOther)
}

// importHolidaysForm is POST /petugas/pengaturan/hari-libur/impor: a CSV
// file (or pasted text) "date,name,kind[,provisional]"; all lines are
// checked first, then stored in one transaction.
func (m *Module) importHolidaysForm(w http.ResponseWriter, r *http.Request) {
	var src io.Reader = strings.NewReader(r.PostFormValue("csv"))
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		src = io.LimitReader(f, 1<<20)
	}
	list, err := workdays.ParseCSV(src)
	if err != nil {
		m.renderHolidays(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	err = m.holidayTx(r, "holiday.imported", strconv.Itoa(len(list)), func(tx *sql.Tx) error {
		for _, h := range list {
			if err := m.calendar.Save(r.Context(), tx, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/petugas/pengaturan/hari-libur?ok=1", http.StatusSeeOther)
}
