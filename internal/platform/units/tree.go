package units

import "sort"

// Tree is an immutable snapshot of the unit hierarchy.
type Tree struct {
	units    map[string]Unit
	children map[string][]string
	roots    []string
	// servedBy maps a kelurahan code to the units whose own service area
	// lists it.
	servedBy map[string][]string
}

func newTree(all []Unit) *Tree {
	t := &Tree{units: map[string]Unit{}, children: map[string][]string{}, servedBy: map[string][]string{}}
	for _, u := range all {
		t.units[u.Code] = u
	}
	for _, u := range all {
		if _, ok := t.units[u.ParentCode]; u.ParentCode != "" && ok {
			t.children[u.ParentCode] = append(t.children[u.ParentCode], u.Code)
		} else {
			t.roots = append(t.roots, u.Code)
		}
		for _, kel := range u.ServiceArea {
			t.servedBy[kel] = append(t.servedBy[kel], u.Code)
		}
	}
	for _, c := range t.children {
		sort.Strings(c)
	}
	sort.Strings(t.roots)
	return t
}

// Get returns a unit by code.
func (t *Tree) Get(code string) (Unit, bool) {
	u, ok := t.units[code]
	return u, ok
}

// All returns every unit in depth-first order from the roots, so a list
// reads like the organisation chart.
func (t *Tree) All() []Unit {
	out := make([]Unit, 0, len(t.units))
	var walk func(code string)
	walk = func(code string) {
		out = append(out, t.units[code])
		for _, c := range t.children[code] {
			walk(c)
		}
	}
	for _, r := range t.roots {
		walk(r)
	}
	return out
}

// Children returns a unit's direct children.
func (t *Tree) Children(code string) []Unit {
	var out []Unit
	for _, c := range t.children[code] {
		out = append(out, t.units[c])
	}
	return out
}

// Depth is the number of ancestors of a unit.
func (t *Tree) Depth(code string) int {
	d := 0
	for u, ok := t.units[code]; ok && u.ParentCode != ""; u, ok = t.units[u.ParentCode] {
		d++
		if d > len(t.units) { // a cycle in hand-edited data
			break
		}
	}
	return d
}

// IsWithin reports whether unit code is ancestor itself or one of its
// descendants. Authorisation scopes ("unit and its children") use it.
func (t *Tree) IsWithin(code, ancestor string) bool {
	for steps := 0; code != "" && steps <= len(t.units); steps++ {
		if code == ancestor {
			return true
		}
		u, ok := t.units[code]
		if !ok {
			return false
		}
		code = u.ParentCode
	}
	return false
}

// ServingKelurahan returns the units whose service area names the
// kelurahan, for routing reports to the Polsek or puskesmas covering it.
func (t *Tree) ServingKelurahan(kelurahanCode string) []Unit {
	var out []Unit
	for _, c := range t.servedBy[kelurahanCode] {
		out = append(out, t.units[c])
	}
	return out
}
