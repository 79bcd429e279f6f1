package reports

import (
	"net/http"
	"time"
)

// base is embedded in every page's data: templates format times in the
// city's zone with the shell's datetime function, which needs it.
type base struct {
	Loc *time.Location
}

func (b *base) setLoc(l *time.Location) { b.Loc = l }

type located interface{ setLoc(*time.Location) }

// render renders a page of the module with its data (a pointer to a view
// struct embedding base).
func (m *Module) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data located) {
	data.setLoc(m.d.Location)
	sh := m.d.Shell
	sh.Render.Page(w, r, status, "reports/"+name, sh.Render.View(r, title, data))
}
