package web

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// storableRequestText checks the decoded path and query parameters for
// text no database column can hold: a NUL character (PostgreSQL refuses
// it in text) or invalid UTF-8. Handlers pass path values and filters
// straight into queries, so this is checked once, before any of them
// runs; the name of the first bad parameter ("path" for the path) is
// returned.
func storableRequestText(r *http.Request) (string, bool) {
	if !storable(r.URL.Path) {
		return "path", false
	}
	for name, values := range r.URL.Query() {
		if !storable(name) {
			return "query", false
		}
		for _, v := range values {
			if !storable(v) {
				return name, false
			}
		}
	}
	return "", true
}

func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func (s *Shell) refuseText(w http.ResponseWriter, r *http.Request, route Route, name string) {
	msg := s.T(r, "error.text_invalid")
	if route.API {
		WriteError(w, r, http.StatusBadRequest, "invalid_text", msg, map[string]string{name: msg})
		return
	}
	s.Render.Error(w, r, http.StatusBadRequest, msg)
}

// nulField finds a string holding a NUL character in a decoded JSON
// value, and names it by its JSON path ("contact.name", "items.2").
func nulField(v reflect.Value, path string) (string, bool) {
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nulField(v.Elem(), path)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			return path, true
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = path // embedded: its fields are the outer value's
			} else {
				name = join(name)
			}
			if p, ok := nulField(v.Field(i), name); ok {
				return p, true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return "", false // []byte: raw JSON or base64, not text
		}
		for i := range v.Len() {
			if p, ok := nulField(v.Index(i), join(strconv.Itoa(i))); ok {
				return p, true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			k := fmt.Sprint(it.Key().Interface())
			if strings.ContainsRune(k, 0) {
				return join(strings.ReplaceAll(k, "\x00", "")), true
			}
			if p, ok := nulField(it.Value(), join(k)); ok {
				return p, true
			}
		}
	}
	return "", false
}
