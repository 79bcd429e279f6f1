package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/workdays"
)

// Category is a kind of report and an Open311 service.
type Category struct {
	Code             string
	Group            string // sampah, keamanan, kota, darurat, lainnya
	NameID, NameEN   string
	DescID, DescEN   string
	Keywords         string // comma-separated, for the gateway and Open311
	DefaultPrivacy   Privacy
	Response         Target
	Resolution       Target
	EmergencyNumbers string
	Attributes       []Attribute
	Active           bool
	SortOrder        int
}

// Name is the category's name in a language.
func (c Category) Name(loc i18n.Locale) string {
	if loc == i18n.English && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameID
}

// Description is the category's description in a language.
func (c Category) Description(loc i18n.Locale) string {
	if loc == i18n.English && c.DescEN != "" {
		return c.DescEN
	}
	return c.DescID
}

// Emergency reports whether the reporter must also be told to phone.
func (c Category) Emergency() bool { return c.EmergencyNumbers != "" }

// Open311 attribute datatypes.
const (
	TypeString       = "string"
	TypeNumber       = "number"
	TypeDatetime     = "datetime"
	TypeText         = "text"
	TypeSingleValue  = "singlevaluelist"
	TypeMultiValue   = "multivaluelist"
	maxAttrString    = 200
	maxAttrText      = 2000
	maxAttributeKeys = 30
)

// Attribute is an extra question of a category (an Open311 attribute).
type Attribute struct {
	Code     string      `json:"code"`
	Datatype string      `json:"datatype"`
	Required bool        `json:"required"`
	Order    int         `json:"order"`
	NameID   string      `json:"name_id"`
	NameEN   string      `json:"name_en"`
	HintID   string      `json:"hint_id,omitempty"`
	HintEN   string      `json:"hint_en,omitempty"`
	Values   []AttrValue `json:"values,omitempty"`
}

// AttrValue is one choice of a list attribute.
type AttrValue struct {
	Key    string `json:"key"`
	NameID string `json:"name_id"`
	NameEN string `json:"name_en"`
}

// Name is the question in a language.
func (a Attribute) Name(loc i18n.Locale) string {
	if loc == i18n.English && a.NameEN != "" {
		return a.NameEN
	}
	return a.NameID
}

// Hint is the question's explanation in a language.
func (a Attribute) Hint(loc i18n.Locale) string {
	if loc == i18n.English && a.HintEN != "" {
		return a.HintEN
	}
	return a.HintID
}

// Name is a choice's label in a language.
func (v AttrValue) Name(loc i18n.Locale) string {
	if loc == i18n.English && v.NameEN != "" {
		return v.NameEN
	}
	return v.NameID
}

// IsList reports whether the attribute offers choices.
func (a Attribute) IsList() bool {
	return a.Datatype == TypeSingleValue || a.Datatype == TypeMultiValue
}

var attrCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func validateAttributes(as []Attribute) error {
	seen := map[string]bool{}
	for _, a := range as {
		if !attrCode.MatchString(a.Code) {
			return fmt.Errorf("attribute code %q: lower-case letters, digits and _", a.Code)
		}
		if seen[a.Code] {
			return fmt.Errorf("attribute %q defined twice", a.Code)
		}
		seen[a.Code] = true
		switch a.Datatype {
		case TypeString, TypeNumber, TypeDatetime, TypeText:
		case TypeSingleValue, TypeMultiValue:
			if len(a.Values) == 0 {
				return fmt.Errorf("attribute %q: a list needs values", a.Code)
			}
		default:
			return fmt.Errorf("attribute %q: datatype %q is not an Open311 datatype", a.Code, a.Datatype)
		}
		if strings.TrimSpace(a.NameID) == "" {
			return fmt.Errorf("attribute %q needs a name", a.Code)
		}
	}
	return nil
}

// AttributeError names the attribute that is wrong and why (a message key
// with its argument).
type AttributeError struct {
	Code, Key string
}

func (e *AttributeError) Error() string { return "attribute " + e.Code + ": " + e.Key }

// CheckAttributes validates answers against the category's questions and
// returns them cleaned: every required question answered, numbers and
// dates parse, list answers are among the choices, unknown codes refused.
func (c Category) CheckAttributes(in map[string][]string) (map[string][]string, error) {
	out := map[string][]string{}
	known := map[string]bool{}
	for _, a := range c.Attributes {
		known[a.Code] = true
		var vals []string
		for _, v := range in[a.Code] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			if a.Required {
				return nil, &AttributeError{a.Code, "reports.attr_required"}
			}
			continue
		}
		if a.Datatype != TypeMultiValue && len(vals) > 1 {
			return nil, &AttributeError{a.Code, "reports.attr_one_value"}
		}
		for _, v := range vals {
			switch a.Datatype {
			case TypeNumber:
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					return nil, &AttributeError{a.Code, "reports.attr_number"}
				}
			case TypeDatetime:
				if _, err := parseAttrTime(v); err != nil {
					return nil, &AttributeError{a.Code, "reports.attr_datetime"}
				}
			case TypeString:
				if len([]rune(v)) > maxAttrString {
					return nil, &AttributeError{a.Code, "reports.attr_too_long"}
				}
			case TypeText:
				if len([]rune(v)) > maxAttrText {
					return nil, &AttributeError{a.Code, "reports.attr_too_long"}
				}
			case TypeSingleValue, TypeMultiValue:
				ok := false
				for _, x := range a.Values {
					ok = ok || x.Key == v
				}
				if !ok {
					return nil, &AttributeError{a.Code, "reports.attr_choice"}
				}
			}
		}
		out[a.Code] = vals
	}
	if len(in) > maxAttributeKeys {
		return nil, &AttributeError{"", "reports.attr_unknown"}
	}
	for code, vals := range in {
		if !known[code] && len(vals) > 0 {
			return nil, &AttributeError{code, "reports.attr_unknown"}
		}
	}
	return out, nil
}

func parseAttrTime(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date and time")
}

// Target is an SLA target: N working days, N working hours, or N clock
// minutes (for emergencies, which do not wait for office hours).
type Target struct {
	N    int
	Unit string // "wd", "wh" or "min"
}

var targetSpec = regexp.MustCompile(`^(\d{1,4})(wd|wh|min)$`)

// ParseTarget reads "3wd", "8wh" or "30min".
func ParseTarget(s string) (Target, error) {
	m := targetSpec.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Target{}, fmt.Errorf("SLA target %q: want N followed by wd (working days), wh (working hours) or min (minutes)", s)
	}
	n, _ := strconv.Atoi(m[1])
	if n <= 0 {
		return Target{}, fmt.Errorf("SLA target %q must be positive", s)
	}
	return Target{N: n, Unit: m[2]}, nil
}

func (t Target) String() string { return strconv.Itoa(t.N) + t.Unit }

// Due is the deadline for the target starting at from.
func (t Target) Due(cal *workdays.Calendar, from time.Time, hours workdays.Hours) time.Time {
	switch t.Unit {
	case "wd":
		return cal.AddWorkingDays(from, t.N)
	case "wh":
		return cal.AddWorkingHours(from, time.Duration(t.N)*time.Hour, hours)
	default:
		return from.Add(time.Duration(t.N) * time.Minute)
	}
}

// categories is the cached category list, reloaded when the table
// changes (through this process at once, from another within seconds).
type categories struct {
	db *database.DB

	mu      sync.Mutex
	list    []Category
	byCode  map[string]Category
	stamp   string
	checked time.Time
}

func (cs *categories) invalidate() {
	cs.mu.Lock()
	cs.list, cs.byCode = nil, nil
	cs.mu.Unlock()
}

// all returns every category (active or not), by group and order.
func (cs *categories) all(ctx context.Context) ([]Category, map[string]Category, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.list != nil && time.Since(cs.checked) < 2*time.Second {
		return cs.list, cs.byCode, nil
	}
	var maxUpdated sql.NullString
	var n int
	if err := cs.db.QueryRowContext(ctx, `SELECT MAX(updated_at), COUNT(*) FROM report_categories`).Scan(&maxUpdated, &n); err != nil {
		return nil, nil, err
	}
	stamp := fmt.Sprintf("%s/%d", maxUpdated.String, n)
	if cs.list != nil && stamp == cs.stamp {
		cs.checked = time.Now()
		return cs.list, cs.byCode, nil
	}
	list, err := loadCategories(ctx, cs.db)
	if err != nil {
		return nil, nil, err
	}
	cs.byCode = map[string]Category{}
	for _, c := range list {
		cs.byCode[c.Code] = c
	}
	cs.list, cs.stamp, cs.checked = list, stamp, time.Now()
	return cs.list, cs.byCode, nil
}

// get returns one category.
func (cs *categories) get(ctx context.Context, code string) (Category, bool, error) {
	_, by, err := cs.all(ctx)
	if err != nil {
		return Category{}, false, err
	}
	c, ok := by[code]
	return c, ok, nil
}

// active returns the categories a citizen may choose.
func (cs *categories) active(ctx context.Context) ([]Category, error) {
	all, _, err := cs.all(ctx)
	if err != nil {
		return nil, err
	}
	var out []Category
	for _, c := range all {
		if c.Active {
			out = append(out, c)
		}
	}
	return out, nil
}

const categoryColumns = `code, grp, name_id, name_en, description_id, description_en, keywords, default_privacy,
	response_target, resolution_target, emergency_numbers, attributes_json, active, sort_order`

func loadCategories(ctx context.Context, q database.Querier) ([]Category, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+categoryColumns+` FROM report_categories ORDER BY sort_order, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		var c Category
		var privacy, resp, resol, attrs string
		if err := rows.Scan(&c.Code, &c.Group, &c.NameID, &c.NameEN, &c.DescID, &c.DescEN, &c.Keywords, &privacy,
			&resp, &resol, &c.EmergencyNumbers, &attrs, &c.Active, &c.SortOrder); err != nil {
			return nil, err
		}
		c.DefaultPrivacy = Privacy(privacy)
		// A target edited into nonsense by hand falls back to the
		// SP4N-LAPOR! anchors rather than failing every page.
		if c.Response, err = ParseTarget(resp); err != nil {
			c.Response = Target{3, "wd"}
		}
		if c.Resolution, err = ParseTarget(resol); err != nil {
			c.Resolution = Target{5, "wd"}
		}
		if err := json.Unmarshal([]byte(attrs), &c.Attributes); err != nil {
			return nil, fmt.Errorf("category %s: attributes: %w", c.Code, err)
		}
		sort.SliceStable(c.Attributes, func(i, j int) bool { return c.Attributes[i].Order < c.Attributes[j].Order })
		out = append(out, c)
	}
	return out, rows.Err()
}

// saveCategory inserts or updates a category (q is the caller's
// transaction).
func saveCategory(ctx context.Context, q database.Querier, c Category, now time.Time, overwrite bool) (bool, error) {
	if err := validateAttributes(c.Attributes); err != nil {
		return false, err
	}
	attrs, err := json.Marshal(c.Attributes)
	if err != nil {
		return false, err
	}
	conflict := `ON CONFLICT (code) DO NOTHING`
	if overwrite {
		conflict = `ON CONFLICT (code) DO UPDATE SET grp = $2, name_id = $3, name_en = $4, description_id = $5, description_en = $6,
			keywords = $7, default_privacy = $8, response_target = $9, resolution_target = $10, emergency_numbers = $11,
			attributes_json = $12, active = $13, sort_order = $14, updated_at = $15`
	}
	res, err := q.ExecContext(ctx, `INSERT INTO report_categories (`+categoryColumns+`, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) `+conflict,
		c.Code, c.Group, c.NameID, c.NameEN, c.DescID, c.DescEN, c.Keywords, string(c.DefaultPrivacy),
		c.Response.String(), c.Resolution.String(), c.EmergencyNumbers, string(attrs), c.Active, c.SortOrder, database.TimeArg(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
