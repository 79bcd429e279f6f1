package reports

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Open311 GeoReport v2 (DOMAIN.md §4) speaks JSON or XML, chosen by the
// path's suffix, with its own error shape. These helpers keep that
// vocabulary in one place.

// open311Base is where the API lives.
const open311Base = "/open311/v2"

// splitFormat splits "services.json" into ("services", "json"); ok is
// false for a suffix other than .json or .xml.
func splitFormat(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return file, "", false
	}
	name, format = file[:i], strings.ToLower(file[i+1:])
	return name, format, format == "json" || format == "xml"
}

type o311Error struct {
	XMLName     xml.Name `json:"-" xml:"error"`
	Code        int      `json:"code" xml:"code"`
	Description string   `json:"description" xml:"description"`
}

// o311Errors writes an error list: [{"code":400,"description":"…"}] or
// <errors><error>…</error></errors>. An unknown format answers JSON.
func o311Errors(w http.ResponseWriter, format string, status int, descriptions ...string) {
	items := make([]any, 0, len(descriptions))
	for _, d := range descriptions {
		items = append(items, o311Error{Code: status, Description: d})
	}
	if format != "xml" {
		format = "json"
	}
	o311Write(w, format, status, "errors", items)
}

// o311Write writes a list (JSON array, or XML root element holding one
// element per item; each item's XMLName names it).
func o311Write(w http.ResponseWriter, format string, status int, root string, items []any) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Access-Control-Allow-Origin", "*")
	if format == "xml" {
		h.Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(xml.Header))
		enc := xml.NewEncoder(w)
		_ = enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: root}})
		for _, it := range items {
			_ = enc.Encode(it)
		}
		_ = enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: root}})
		_ = enc.Flush()
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if items == nil {
		items = []any{}
	}
	_ = json.NewEncoder(w).Encode(items)
}

// o311WriteOne writes a single object (discovery, a service definition).
func o311WriteOne(w http.ResponseWriter, format string, v any) {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	if format == "xml" {
		h.Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write([]byte(xml.Header))
		_ = xml.NewEncoder(w).Encode(v)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// w3c writes an instant the way GeoReport v2 wants it: W3C (RFC 3339)
// with the city's offset, "2026-12-04T09:30:00+08:00".
func (m *Module) w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(m.d.Location).Format(time.RFC3339)
}

// o311Window reads start_date and end_date (GeoReport v2: at most 90
// days apart). Without either: the last 90 days. With start_date only:
// 90 days from it, but not past now. With end_date only: the 90 days
// before it. bad is the error description for the client.
func (m *Module) o311Window(q url.Values) (start, end time.Time, bad string) {
	now := m.now()
	s, e := strings.TrimSpace(q.Get("start_date")), strings.TrimSpace(q.Get("end_date"))
	var ok bool
	if e != "" {
		if end, ok = parseW3C(e, m.d.Location); !ok {
			return start, end, "end_date: want a W3C date-time such as 2026-12-04T09:30:00+08:00"
		}
	}
	if s != "" {
		if start, ok = parseW3C(s, m.d.Location); !ok {
			return start, end, "start_date: want a W3C date-time such as 2026-12-04T09:30:00+08:00"
		}
	}
	switch {
	case s == "" && e == "":
		end = now
		start = end.Add(-open311MaxSpan)
	case s == "":
		start = end.Add(-open311MaxSpan)
	case e == "":
		end = start.Add(open311MaxSpan)
		if end.After(now) {
			end = now
		}
		if end.Before(start) {
			end = start // a start in the future: nothing yet
		}
	}
	switch {
	case end.Before(start):
		return start, end, "end_date is before start_date"
	case end.Sub(start) > open311MaxSpan:
		return start, end, "start_date and end_date may be at most 90 days apart"
	}
	return start, end, ""
}

// parseW3C reads a start_date or end_date.
func parseW3C(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
