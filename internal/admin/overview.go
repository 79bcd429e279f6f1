package admin

import (
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

type overviewPage struct {
	base
	// FailedJobs is shown on the jobs card, so a city administrator sees
	// stuck work without opening the list.
	FailedJobs int
}

// overview is the console's front page: a card for each area the
// principal may open. A staff member holding none gets 403, as the
// individual areas would give.
func (m *Module) overview(w http.ResponseWriter, r *http.Request) {
	p := web.PrincipalOf(r)
	data := overviewPage{base: m.base(r, "")}
	if len(data.Areas) == 0 {
		m.forbidden(w, r)
		return
	}
	if p.CityWide(permJobs) {
		counts, err := m.d.Jobs.Counts(r.Context())
		if err != nil {
			m.d.Shell.ServerError(w, r, err)
			return
		}
		data.FailedJobs = counts["failed"]
	}
	m.render(w, r, http.StatusOK, "overview.html", "admin.overview.title", data)
}
