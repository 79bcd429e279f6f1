package health

import (
	"net/http"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/units"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// puskesmas returns the active puskesmas under Dinas Kesehatan, by code.
func (m *Module) puskesmas(r *http.Request) ([]units.Unit, *units.Tree, error) {
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return nil, nil, err
	}
	var out []units.Unit
	for _, u := range tree.All() {
		if u.Type == units.TypePuskesmas && u.Active {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, tree, nil
}

// pkmScope is the set of puskesmas a request may use a permission on,
// and the one it works on now.
type pkmScope struct {
	All     []units.Unit // every puskesmas the principal reaches
	Current units.Unit   // chosen with ?pkm= (or the form's pkm), else their own
	Tree    *units.Tree
	// CityWide: every puskesmas is reachable, so city totals make sense.
	CityWide bool
}

// Has reports whether code is in the scope.
func (s pkmScope) Has(code string) bool {
	for _, u := range s.All {
		if u.Code == code {
			return true
		}
	}
	return false
}

// scope works out which puskesmas the principal reaches with permission.
// ok is false when none (a supervisor of an agency without puskesmas):
// the caller answers 403.
func (m *Module) scope(r *http.Request, permission string) (pkmScope, bool, error) {
	all, tree, err := m.puskesmas(r)
	if err != nil {
		return pkmScope{}, false, err
	}
	s := pkmScope{Tree: tree}
	for _, u := range all {
		if web.Authorize(r, permission, u.Code, tree) {
			s.All = append(s.All, u)
		}
	}
	if len(s.All) == 0 {
		return s, false, nil
	}
	s.CityWide = len(s.All) == len(all)
	want := r.FormValue("pkm")
	if want == "" {
		want = web.PrincipalOf(r).UnitCode
	}
	s.Current = s.All[0]
	for _, u := range s.All {
		if u.Code == want {
			s.Current = u
		}
	}
	return s, true, nil
}

// requireScope is scope, answering 403 (or 500) itself when it fails.
func (m *Module) requireScope(w http.ResponseWriter, r *http.Request, permission string) (pkmScope, bool) {
	s, ok, err := m.scope(r, permission)
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return s, false
	}
	if !ok {
		m.forbidden(w, r)
		return s, false
	}
	return s, true
}

func (m *Module) forbidden(w http.ResponseWriter, r *http.Request) {
	m.d.Shell.Render.Error(w, r, http.StatusForbidden, m.d.Shell.T(r, "error.forbidden"))
}

func (m *Module) notFound(w http.ResponseWriter, r *http.Request) {
	m.d.Shell.NotFound(w, r)
}

// unitName returns a unit's display name, or the code when unknown.
func unitName(tree *units.Tree, code string) string {
	if u, ok := tree.Get(code); ok {
		return u.Name
	}
	return code
}
