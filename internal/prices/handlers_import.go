package prices

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// maxUpload bounds an uploaded import (about two million lines); larger
// histories go through the command line, which reads from disk. A
// variable for tests.
var maxUpload int64 = 64 << 20

// FormatImportError renders a bad line as the command line prints it:
// `line 7: unknown market_code "psr-x"`.
func FormatImportError(cat *i18n.Catalog, loc i18n.Locale, e ImportError) string {
	msg := cat.T(loc, e.Key, localize(loc, e.Args)...)
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	return fmt.Sprintf("%s %d: %s", cat.T(loc, "prices.import.line"), e.Line, msg)
}

// importPage is the upload form for historical data.
func (m *Module) importPage(w http.ResponseWriter, r *http.Request) {
	m.page(w, r, http.StatusOK, "import.html", m.t(r, "prices.import_title"), map[string]any{"Kinds": ImportKinds, "Kind": ImportObservations})
}

// importSubmit imports an uploaded CSV file; any bad line refuses the
// whole file and the page lists the bad lines.
func (m *Module) importSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	kind := r.FormValue("kind")
	data := map[string]any{"Kinds": ImportKinds, "Kind": kind}
	file, hdr, err := r.FormFile("file")
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || err == nil && hdr.Size > maxUpload {
		// A browser's form was already read by the CSRF check (to disk
		// past a few megabytes), before the cap above applied: the
		// part's size is checked here, before anything reads it.
		if err == nil {
			file.Close()
		}
		data["Problem"] = m.t(r, "error.body_too_large", maxUpload)
		m.page(w, r, http.StatusRequestEntityTooLarge, "import.html", m.t(r, "prices.import_title"), data)
		return
	}
	if err != nil {
		data["Problem"] = m.t(r, "prices.import.no_file")
		m.page(w, r, http.StatusUnprocessableEntity, "import.html", m.t(r, "prices.import_title"), data)
		return
	}
	defer file.Close()
	if !contains(ImportKinds, kind) {
		data["Problem"] = m.t(r, "error.bad_param", "kind")
		m.page(w, r, http.StatusUnprocessableEntity, "import.html", m.t(r, "prices.import_title"), data)
		return
	}
	res, err := m.store.Import(r.Context(), actorOf(r), kind, file)
	if err != nil && !errors.Is(err, ErrInvalidFile) {
		m.pageError(w, r, err)
		return
	}
	var lines []string
	for _, e := range res.Errors {
		lines = append(lines, FormatImportError(m.d.Shell.Catalog(), web.LocaleOf(r), e))
	}
	data["Result"], data["Lines"] = res, lines
	status := http.StatusOK
	if len(lines) > 0 {
		status = http.StatusUnprocessableEntity
	}
	m.page(w, r, status, "import.html", m.t(r, "prices.import_title"), data)
}
