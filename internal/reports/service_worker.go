package reports

import (
	"net/http"
	"strings"
)

// serviceWorker is GET /lapor/sw.js: the report form's worker (see
// static/lapor-sw.js), with the hashed URL of the outbox script filled
// in. It lives under /lapor, so the Service-Worker-Allowed header lets it
// take the scope "/lapor" — the picker and the form, whose path has no
// trailing slash.
func (m *Module) serviceWorker(w http.ResponseWriter, r *http.Request) {
	body, err := moduleFiles.ReadFile("static/lapor-sw.js")
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	outbox, err := m.d.Shell.Assets.URL("reports/outbox.js")
	if err != nil {
		m.d.Shell.ServerError(w, r, err)
		return
	}
	script := strings.Replace(string(body), `/*OUTBOX*/""`, `"`+outbox+`"`, 1)
	h := w.Header()
	h.Set("Content-Type", "application/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Service-Worker-Allowed", "/lapor")
	_, _ = w.Write([]byte(script))
}
