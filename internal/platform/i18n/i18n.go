// Package i18n owns the message catalogs: every text a person reads comes
// from a catalog keyed by message id, in Bahasa Indonesia (the default)
// and English. Modules add their own catalog files; the web shell picks
// the visitor's language.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
)

// Locale is a supported language.
type Locale string

const (
	Indonesian Locale = "id"
	English    Locale = "en"
)

// Default is the language shown when a visitor has not chosen one.
const Default = Indonesian

// Supported lists the languages in menu order.
var Supported = []Locale{Indonesian, English}

// Catalog holds the messages of every locale.
type Catalog struct {
	mu       sync.RWMutex
	messages map[Locale]map[string]string
	origin   map[string]string // key → file that defined it, for clear errors
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{messages: map[Locale]map[string]string{}, origin: map[string]string{}}
}

// AddFS loads every "<locale>.json" file at the root of fsys (a flat JSON
// object of key → text). A key defined twice is an error, so two modules
// cannot silently overwrite each other's texts.
func (c *Catalog) AddFS(fsys fs.FS, name string) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("messages %s: %w", name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		loc := Locale(strings.TrimSuffix(e.Name(), ".json"))
		if !isSupported(loc) {
			return fmt.Errorf("messages %s: unsupported locale file %s", name, e.Name())
		}
		raw, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return err
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("messages %s/%s: %w", name, e.Name(), err)
		}
		if c.messages[loc] == nil {
			c.messages[loc] = map[string]string{}
		}
		for k, v := range m {
			origin := string(loc) + ":" + k
			if prev, dup := c.origin[origin]; dup {
				return fmt.Errorf("message %q (%s) defined in %s and %s", k, loc, prev, name)
			}
			c.origin[origin] = name
			c.messages[loc][k] = v
		}
	}
	return nil
}

// T returns the text for key in loc, formatted with args (fmt verbs). A
// key missing in loc falls back to the default language, then to the key
// itself, so a missing translation shows up plainly instead of blank.
func (c *Catalog) T(loc Locale, key string, args ...any) string {
	c.mu.RLock()
	s, ok := c.messages[loc][key]
	if !ok {
		s, ok = c.messages[Default][key]
	}
	c.mu.RUnlock()
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key exists in the default language.
func (c *Catalog) Has(key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.messages[Default][key]
	return ok
}

// Missing lists, per locale, the keys that another locale has and it
// lacks. The test suite asserts it is empty.
func (c *Catalog) Missing() map[Locale][]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	all := map[string]bool{}
	for _, m := range c.messages {
		for k := range m {
			all[k] = true
		}
	}
	out := map[Locale][]string{}
	for _, loc := range Supported {
		for k := range all {
			if _, ok := c.messages[loc][k]; !ok {
				out[loc] = append(out[loc], k)
			}
		}
		sort.Strings(out[loc])
		if len(out[loc]) == 0 {
			delete(out, loc)
		}
	}
	return out
}

func isSupported(l Locale) bool {
	for _, s := range Supported {
		if s == l {
			return true
		}
	}
	return false
}

// Parse turns a language tag into a supported locale.
func Parse(s string) (Locale, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_;"); i >= 0 {
		s = s[:i]
	}
	l := Locale(s)
	return l, isSupported(l)
}

// CookieName keeps the visitor's explicit choice.
const CookieName = "lang"

// FromRequest picks the visitor's language: an explicit choice (cookie)
// first, then the browser's Accept-Language, then Indonesian.
func FromRequest(r *http.Request) Locale {
	if c, err := r.Cookie(CookieName); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		if l, ok := Parse(part); ok {
			return l
		}
	}
	return Default
}
