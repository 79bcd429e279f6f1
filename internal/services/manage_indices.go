package services

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/services/retribution"
)

// The retribution indices page: every index table as rows of inputs,
// one empty row per table to add a code, the height bands (an empty
// band is dropped, one empty band is offered to add one), Ilo in percent,
// SHST and the SKRD due days. Cell problems are explained next to the
// cell; retribution.Indices.Validate decides and saveIndices stores and
// audits, as PUT /api/v1/pbg/retribution/indices does.

// indexTable is one code → index table of the form.
type indexTable struct {
	Name  string // input name prefix and JSON name
	Label string // message key
	Codes []string
}

type indicesView struct {
	Tables []indexTable
	Bands  []int // height band rows
	Form   formState
	Flash  string
	// Problem is the validator's refusal when no cell explains it.
	Problem string
}

// indexTables lists the tables of ix in the order of the formula.
func indexTables(ix *retribution.Indices) []struct {
	Name, Label string
	Table       *map[string]float64
} {
	return []struct {
		Name, Label string
		Table       *map[string]float64
	}{
		{"function", "services.manage_ix_function", &ix.Function},
		{"complexity", "services.manage_ix_complexity", &ix.Complexity},
		{"permanence", "services.manage_ix_permanence", &ix.Permanence},
		{"ownership", "services.manage_ix_ownership", &ix.Ownership},
		{"building", "services.manage_ix_building", &ix.Building},
	}
}

// maxHeightBands bounds the band rows read from a form.
const maxHeightBands = 50

func formatIndex(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// localityPercent shows Ilo (a fraction) in percent without float noise.
func localityPercent(v float64) string { return formatIndex(math.Round(v*100*1e9) / 1e9) }

func (m *Module) pageManageIndices(w http.ResponseWriter, r *http.Request) {
	ix, err := m.indices(r.Context(), m.d.DB)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	f := newFormState()
	v := indicesView{Form: f, Flash: m.manageFlash(r)}
	for _, t := range indexTables(&ix) {
		codes := retribution.Keys(*t.Table)
		for _, c := range codes {
			f.Values[t.Name+"."+c] = formatIndex((*t.Table)[c])
		}
		v.Tables = append(v.Tables, indexTable{Name: t.Name, Label: t.Label, Codes: codes})
	}
	for i, b := range ix.Height {
		f.Values[fmt.Sprintf("height.%d.max_floors", i)] = strconv.Itoa(b.MaxFloors)
		f.Values[fmt.Sprintf("height.%d.index", i)] = formatIndex(b.Index)
		v.Bands = append(v.Bands, i)
	}
	v.Bands = append(v.Bands, len(ix.Height))
	f.Values["locality"] = localityPercent(ix.Locality)
	f.Values["shst"] = formatIndex(ix.SHST)
	f.Values["due_days"] = strconv.Itoa(ix.DueDays)
	m.renderIndices(w, r, http.StatusOK, v)
}

func (m *Module) renderIndices(w http.ResponseWriter, r *http.Request, status int, v indicesView) {
	m.d.Shell.Render.Page(w, r, status, "services/manage_indices.html", m.d.Shell.Render.View(r, m.d.Shell.T(r, "services.manage_indices_title"), v))
}

// parseDecimal reads a number typed in either convention, "0.15" or
// "0,15".
func parseDecimal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// thousands is a whole amount written with dots between thousands.
var thousands = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)

// pageManageSaveIndices reads the form into retribution.Indices. The
// codes are those stored now plus the added ones: codes are chosen in
// the PBG form and stage records, so removing one is left to the API.
func (m *Module) pageManageSaveIndices(w http.ResponseWriter, r *http.Request) {
	cur, err := m.indices(r.Context(), m.d.DB)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		m.d.Shell.Render.Error(w, r, http.StatusRequestEntityTooLarge, m.d.Shell.T(r, "services.manage_too_large"))
		return
	}
	f := newFormState()
	v := indicesView{Form: f}
	val := func(name string) string {
		s := r.PostFormValue(name)
		f.Values[name] = s
		return strings.TrimSpace(s)
	}
	// index reads a non-negative index.
	index := func(name string) float64 {
		x, ok := parseDecimal(val(name))
		switch {
		case !ok:
			f.Errors[name] = "services.err_number"
		case x < 0:
			f.Errors[name] = "services.manage_err_negative"
		}
		return x
	}
	var ix retribution.Indices
	stored := indexTables(&cur)
	for i, t := range indexTables(&ix) {
		codes := retribution.Keys(*stored[i].Table)
		table := map[string]float64{}
		for _, c := range codes {
			table[c] = index(t.Name + "." + c)
		}
		// The empty row adds a code.
		code, value := val(t.Name+".new_code"), val(t.Name+".new_value")
		if code != "" || value != "" {
			switch _, dup := table[code]; {
			case code == "":
				f.Errors[t.Name+".new_code"] = "services.err_required"
			case !codePattern.MatchString(code) || dup:
				f.Errors[t.Name+".new_code"] = "services.manage_err_index_code"
			}
			table[code] = index(t.Name + ".new_value")
		}
		*t.Table = table
		v.Tables = append(v.Tables, indexTable{Name: t.Name, Label: t.Label, Codes: codes})
	}
	for i := 0; i < maxHeightBands; i++ {
		floorsName, indexName := fmt.Sprintf("height.%d.max_floors", i), fmt.Sprintf("height.%d.index", i)
		if _, posted := r.PostForm[floorsName]; !posted {
			break
		}
		v.Bands = append(v.Bands, i)
		if val(floorsName) == "" && val(indexName) == "" {
			continue
		}
		floors, err := strconv.Atoi(val(floorsName))
		switch {
		case err != nil || floors < 1:
			f.Errors[floorsName] = "services.manage_err_floors"
		case len(ix.Height) > 0 && floors <= ix.Height[len(ix.Height)-1].MaxFloors:
			f.Errors[floorsName] = "services.manage_err_height_order"
		}
		ix.Height = append(ix.Height, retribution.HeightBand{MaxFloors: floors, Index: index(indexName)})
	}
	if len(ix.Height) == 0 && len(v.Bands) > 0 {
		f.Errors["height.0.max_floors"] = "services.err_required"
	}
	if pct, ok := parseDecimal(val("locality")); !ok {
		f.Errors["locality"] = "services.err_number"
	} else if ix.Locality = pct / 100; ix.Locality <= 0 || ix.Locality > retribution.MaxLocality {
		f.Errors["locality"] = "services.manage_err_locality"
	}
	shst := val("shst")
	if thousands.MatchString(shst) {
		shst = strings.ReplaceAll(shst, ".", "")
	}
	if x, ok := parseDecimal(shst); !ok {
		f.Errors["shst"] = "services.err_number"
	} else if ix.SHST = x; x <= 0 {
		f.Errors["shst"] = "services.manage_err_positive"
	}
	if n, err := strconv.Atoi(val("due_days")); err != nil || n < 1 {
		f.Errors["due_days"] = "services.manage_err_due_days"
	} else {
		ix.DueDays = n
	}
	if len(f.Errors) == 0 {
		if err := ix.Validate(); err != nil {
			// The cell checks lag behind the validator: show its words.
			v.Problem = m.d.Shell.T(r, "services.manage_err_indices", err.Error())
		}
	}
	if len(f.Errors) > 0 || v.Problem != "" {
		f.Summary = "services.err_check_fields"
		v.Form = f
		m.renderIndices(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err := m.saveIndices(r, ix); err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/layanan/kelola/retribusi?ok=indices_saved", http.StatusSeeOther)
}
