package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

//go:embed locales
var localeFiles embed.FS

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// Renderer executes page templates inside the shared layout. Templates are
// parsed once at start-up; each page is the layout plus the page file plus
// its module's partials (files whose name starts with "_").
type Renderer struct {
	shell  *Shell
	mu     sync.RWMutex
	layout *template.Template
	pages  map[string]*template.Template
}

// View is the data every page template receives as ".".
type View struct {
	Title     string
	Data      any
	Site      Site
	Principal *auth.Principal
	Locale    i18n.Locale
	CSRF      string
	Nav       []NavItem
	Path      string
	RequestID string
	Status    int
	Now       time.Time
	catalog   *i18n.Catalog
	assets    *Assets
}

// T translates a message key in the page's language.
func (v *View) T(key string, args ...any) string { return v.catalog.T(v.Locale, key, args...) }

// Asset returns a static file's hashed URL.
func (v *View) Asset(name string) (string, error) { return v.assets.URL(name) }

// CSRFField is the hidden input every form carries.
func (v *View) CSRFField() template.HTML {
	return template.HTML(`<input type="hidden" name="csrf_token" value="` + template.HTMLEscapeString(v.CSRF) + `">`)
}

// OtherLocale is the language the switcher offers.
func (v *View) OtherLocale() i18n.Locale {
	if v.Locale == i18n.English {
		return i18n.Indonesian
	}
	return i18n.English
}

var funcs = template.FuncMap{
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs key/value pairs")
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"datetime": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("02/01/2006 15:04")
	},
	"hasPrefix": strings.HasPrefix,
}

func newRenderer(s *Shell) (*Renderer, error) {
	layout, err := template.New("layout").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/forms.html")
	if err != nil {
		return nil, err
	}
	rd := &Renderer{shell: s, layout: layout, pages: map[string]*template.Template{}}
	if err := rd.AddTemplates(mustSub(templateFiles, "templates"), "shell"); err != nil {
		return nil, err
	}
	return rd, nil
}

// AddTemplates parses a module's page templates. A page named
// "queue.html" in module "reports" is rendered as "reports/queue.html".
// Each page file defines {{define "title"}} and {{define "content"}}.
func (rd *Renderer) AddTemplates(fsys fs.FS, module string) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	var partials []string
	var pages []string
	for _, e := range entries {
		switch {
		case e.IsDir() || path.Ext(e.Name()) != ".html" || module == "shell" && (e.Name() == "layout.html" || e.Name() == "forms.html"):
		case strings.HasPrefix(e.Name(), "_"):
			partials = append(partials, e.Name())
		default:
			pages = append(pages, e.Name())
		}
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for _, p := range pages {
		t, err := rd.layout.Clone()
		if err != nil {
			return err
		}
		files := append([]string{p}, partials...)
		if _, err := t.ParseFS(fsys, files...); err != nil {
			return fmt.Errorf("templates %s/%s: %w", module, p, err)
		}
		name := module + "/" + p
		if _, dup := rd.pages[name]; dup {
			return fmt.Errorf("template %s registered twice", name)
		}
		rd.pages[name] = t
	}
	return nil
}

// View builds the common page data for a request.
func (rd *Renderer) View(r *http.Request, title string, data any) *View {
	st := stateFrom(r)
	return &View{Title: title, Data: data, Site: rd.shell.opts.Site, Principal: st.principal, Locale: st.locale,
		CSRF: st.csrf, Nav: rd.shell.navFor(st.principal), Path: r.URL.Path, RequestID: st.requestID,
		Now: time.Now(), catalog: rd.shell.catalog, assets: rd.shell.Assets}
}

// Page renders a page template with status. The page is rendered into a
// buffer first, so a template error becomes a clean 500 page instead of a
// half-written response.
func (rd *Renderer) Page(w http.ResponseWriter, r *http.Request, status int, name string, v *View) {
	rd.mu.RLock()
	t, ok := rd.pages[name]
	rd.mu.RUnlock()
	if !ok {
		rd.shell.log.Error("unknown template", "template", name)
		rd.shell.serverError(w, r)
		return
	}
	v.Status = status
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		rd.shell.log.Error("template failed", "template", name, "err", err, "request_id", v.RequestID)
		rd.shell.serverError(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Error renders the friendly error page with a translated message.
func (rd *Renderer) Error(w http.ResponseWriter, r *http.Request, status int, message string) {
	v := rd.View(r, http.StatusText(status), map[string]any{"Message": message})
	rd.Page(w, r, status, "shell/error.html", v)
}

// Has reports whether a template is registered.
func (rd *Renderer) Has(name string) bool {
	rd.mu.RLock()
	defer rd.mu.RUnlock()
	_, ok := rd.pages[name]
	return ok
}

// T translates for a request's language.
func (s *Shell) T(r *http.Request, key string, args ...any) string {
	return s.catalog.T(LocaleOf(r), key, args...)
}

// serverError is the last resort: it must not depend on templates that
// may be what failed.
func (s *Shell) serverError(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		WriteError(w, r, http.StatusInternalServerError, "internal", s.T(r, "error.internal", requestIDOf(r)), nil)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<!doctype html><html lang="%s"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>500</title><body style="font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em"><h1>%s</h1><p>%s</p><p><a href="/">%s</a></p>`,
		LocaleOf(r), template.HTMLEscapeString(s.T(r, "error.500_title")),
		template.HTMLEscapeString(s.T(r, "error.internal", requestIDOf(r))), template.HTMLEscapeString(s.T(r, "nav.home")))
}

// NotFound renders the friendly 404 page (or the JSON error under /api/).
func (s *Shell) NotFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		WriteError(w, r, http.StatusNotFound, "not_found", s.T(r, "error.not_found"), nil)
		return
	}
	s.Render.Error(w, r, http.StatusNotFound, s.T(r, "error.not_found"))
}

// ServerError logs err and renders the 500 page (JSON under /api/).
func (s *Shell) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "err", err, "route", r.Pattern, "request_id", RequestID(r))
	s.serverError(w, r)
}
