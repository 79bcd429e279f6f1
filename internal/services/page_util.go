package services

import (
	"errors"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// formState is what a page form shows after a refused POST: the values
// typed, per-field message keys and one summary key. Pages re-render with
// it instead of redirecting, so nothing typed is lost.
type formState struct {
	Values  map[string]string
	Errors  map[string]string
	Summary string
	Args    []any
}

func newFormState() formState {
	return formState{Values: map[string]string{}, Errors: map[string]string{}}
}

// absorb turns a module error into the form's state and answers the HTTP
// status to render with; an error that is not a refusal (a failure) is
// answered as ok=false so the caller shows the 500 page.
func (f *formState) absorb(err error) (status int, ok bool) {
	var e *Error
	if !errors.As(err, &e) {
		return 0, false
	}
	f.Summary, f.Args = e.Key, e.Args
	for k, v := range e.Fields {
		f.Errors[k] = v
	}
	return e.Status, true
}

// pageFail renders a module error as a page: refusals as the friendly
// error page with their status, anything else as a 500.
func (m *Module) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if errors.As(err, &e) {
		m.d.Shell.Render.Error(w, r, e.Status, m.d.Shell.T(r, e.Key, e.Args...))
		return
	}
	m.d.Shell.ServerError(w, r, err)
}

// kecamatanOption groups the kelurahan choices of a select.
type kecamatanOption struct {
	Name      string
	Kelurahan []regions.Region
}

func (m *Module) kelurahanOptions() []kecamatanOption {
	var out []kecamatanOption
	for _, k := range m.d.Regions.Kecamatan() {
		out = append(out, kecamatanOption{Name: k.Name, Kelurahan: m.d.Regions.KelurahanIn(k.Code)})
	}
	return out
}

// unitNames maps unit codes to display names for timelines and queues.
func (m *Module) unitNames(r *http.Request) map[string]string {
	out := map[string]string{}
	tree, err := m.d.Units.Tree(r.Context())
	if err != nil {
		return out
	}
	for _, u := range tree.All() {
		out[u.Code] = u.Name
	}
	return out
}
