package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// OpenAPI is the JSON API's OpenAPI 3.1 document. Each module adds a
// fragment (its paths and schemas, kept as an openapi.json file beside
// its handlers), so the document grows with the modules; a test checks
// that every API route is documented.
type OpenAPI struct {
	mu      sync.Mutex
	paths   map[string]map[string]any
	schemas map[string]any
	info    map[string]any
}

func newOpenAPI(site Site) *OpenAPI {
	return &OpenAPI{paths: map[string]map[string]any{}, schemas: map[string]any{
		"Error": map[string]any{
			"type":     "object",
			"required": []string{"error"},
			"properties": map[string]any{"error": map[string]any{
				"type":     "object",
				"required": []string{"code", "message"},
				"properties": map[string]any{
					"code":    map[string]any{"type": "string"},
					"message": map[string]any{"type": "string"},
					"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
				},
			}},
		},
	}, info: map[string]any{"title": "Sodamolek API — " + site.CityName, "version": "1",
		"description": "JSON API of Sodamolek. Errors use the Error schema; lists use cursor pagination (next_cursor)."}}
}

// AddFragment merges a module's {"paths":{…},"components":{"schemas":{…}}}.
// A path+method or schema defined twice is an error.
func (o *OpenAPI) AddFragment(raw []byte) error {
	var frag struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &frag); err != nil {
		return fmt.Errorf("openapi fragment: %w", err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for p, ops := range frag.Paths {
		if o.paths[p] == nil {
			o.paths[p] = map[string]any{}
		}
		for method, op := range ops {
			if _, dup := o.paths[p][method]; dup {
				return fmt.Errorf("openapi: %s %s documented twice", method, p)
			}
			o.paths[p][method] = op
		}
	}
	for name, s := range frag.Components.Schemas {
		if _, dup := o.schemas[name]; dup {
			return fmt.Errorf("openapi: schema %s defined twice", name)
		}
		o.schemas[name] = s
	}
	return nil
}

// Documented reports whether METHOD path is in the document.
func (o *OpenAPI) Documented(method, path string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.paths[path][strings.ToLower(method)]
	return ok
}

// Document returns the whole OpenAPI document.
func (o *OpenAPI) Document() map[string]any {
	o.mu.Lock()
	defer o.mu.Unlock()
	return map[string]any{
		"openapi": "3.1.0",
		"info":    o.info,
		"servers": []map[string]string{{"url": "/"}},
		"paths":   o.paths,
		"components": map[string]any{
			"schemas": o.schemas,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/login, or an API key."},
			},
		},
	}
}

func (o *OpenAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_ = json.NewEncoder(w).Encode(o.Document())
}
