package web

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

// registerShellRoutes adds the routes the shell itself owns: static files,
// the PWA manifest and service worker, the offline page, the language
// switch and the home page.
func (s *Shell) registerShellRoutes() {
	rt := s.Router
	rt.Page("GET /static/{path...}", Public, s.Assets.serve)
	rt.Page("GET /sw.js", Public, s.serviceWorker)
	rt.Page("GET /manifest.webmanifest", Public, s.manifest)
	rt.Page("GET /offline", Public, s.offline)
	rt.Page("GET /bahasa/{lang}", Public, s.switchLanguage)
	rt.Page("GET /{$}", Public, s.home)
	rt.API("GET /api/v1/openapi.json", Public, s.OpenAPI.serve)
	// Everything else is a friendly 404 (JSON under /api/).
	rt.mux.HandleFunc("/", s.NotFound)
}

func (s *Shell) home(w http.ResponseWriter, r *http.Request) {
	links := append([]HomeLink(nil), s.homeLinks...)
	sort.SliceStable(links, func(i, j int) bool { return links[i].Order < links[j].Order })
	v := s.Render.View(r, s.T(r, "home.title", s.opts.Site.CityName), links)
	s.Render.Page(w, r, http.StatusOK, "shell/home.html", v)
}

func (s *Shell) offline(w http.ResponseWriter, r *http.Request) {
	v := s.Render.View(r, s.T(r, "offline.title"), nil)
	s.Render.Page(w, r, http.StatusOK, "shell/offline.html", v)
}

// switchLanguage stores the visitor's choice and goes back where they
// were. Only same-site paths are accepted as "next" (no open redirect).
func (s *Shell) switchLanguage(w http.ResponseWriter, r *http.Request) {
	loc, ok := i18n.Parse(r.PathValue("lang"))
	if !ok {
		s.NotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: string(loc), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies})
	http.Redirect(w, r, SafeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// SafeNext returns next when it is a path on this site, else "/".
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

func (s *Shell) manifest(w http.ResponseWriter, r *http.Request) {
	icon, _ := s.Assets.URL("img/icon.svg")
	m := map[string]any{
		"name":             "Sodamolek " + s.opts.Site.CityName,
		"short_name":       "Sodamolek",
		"start_url":        "/",
		"display":          "standalone",
		"background_color": "#ffffff",
		"theme_color":      "#0b5d7a",
		"lang":             "id",
		"icons":            []map[string]string{{"src": icon, "sizes": "any", "type": "image/svg+xml"}},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_ = json.NewEncoder(w).Encode(m)
}

// serviceWorker serves sw.js from the site root (a worker's scope is its
// own path) with the list of files to precache injected, so a new
// release's hashed names replace the old cache.
func (s *Shell) serviceWorker(w http.ResponseWriter, r *http.Request) {
	body, ok := s.Assets.Body("js/sw.js")
	if !ok {
		s.NotFound(w, r)
		return
	}
	pre := s.Assets.URLs(func(name string) bool {
		return strings.HasPrefix(name, "css/") || name == "js/app.js" || name == "img/icon.svg"
	})
	sort.Strings(pre)
	pre = append(pre, "/offline")
	list, _ := json.Marshal(pre)
	version := ""
	for _, u := range pre {
		version += u
	}
	script := strings.Replace(string(body), "/*PRECACHE*/[]", string(list), 1)
	script = strings.Replace(script, "/*VERSION*/\"dev\"", `"`+shortHash(version)+`"`, 1)
	w.Header().Set("Content-Type", "application/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	_, _ = w.Write([]byte(script))
}

func shortHash(s string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 8)
	for i := range out {
		out[i] = hex[(h>>(28-4*i))&0xf]
	}
	return string(out)
}
