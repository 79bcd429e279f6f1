package services

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// writeErr turns a module error into the JSON error body, translated.
func (m *Module) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	sh := m.d.Shell
	var e *Error
	if !errors.As(err, &e) {
		sh.WriteAPIError(w, r, err)
		return
	}
	fields := map[string]string{}
	for k, v := range e.Fields {
		fields[k] = sh.T(r, v, e.Args...)
	}
	if len(fields) == 0 {
		fields = nil
	}
	body := map[string]any{"code": e.Code, "message": sh.T(r, e.Key, e.Args...)}
	if fields != nil {
		body["fields"] = fields
	}
	if e.Checklist != nil {
		items := make([]ChecklistItem, len(e.Checklist))
		for i, it := range e.Checklist {
			if it.Issue != "" {
				it.Issue = sh.T(r, it.Issue)
			}
			items[i] = it
		}
		body["checklist"] = items
	}
	web.WriteJSON(w, e.Status, map[string]any{"error": body})
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
