package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestAddModuleFilesFindsEachFolder(t *testing.T) {
	s := newTestShell(t)
	files := fstest.MapFS{
		"templates/board.html":     {Data: []byte(`{{define "title"}}Papan{{end}}{{define "content"}}<p>papan</p>{{end}}`)},
		"templates/_row.html":      {Data: []byte(`{{define "row"}}<tr></tr>{{end}}`)},
		"locales/id.json":          {Data: []byte(`{"pasar.title":"Harga pasar"}`)},
		"locales/en.json":          {Data: []byte(`{"pasar.title":"Market prices"}`)},
		"static/board.js":          {Data: []byte(`console.log(1)`)},
		"openapi.json":             {Data: []byte(`{"paths":{"/api/v1/pasar":{"get":{"summary":"x","responses":{"200":{"description":"ok"}}}}}}`)},
		"migrations/0001_init.sql": {Data: []byte(`CREATE TABLE x (id INTEGER)`)},
	}
	if err := s.AddModuleFiles("pasar", files); err != nil {
		t.Fatal(err)
	}
	if !s.Render.Has("pasar/board.html") {
		t.Error("page not added")
	}
	if _, err := s.Assets.URL("pasar/board.js"); err != nil {
		t.Errorf("asset not added: %v", err)
	}
	if _, ok := s.OpenAPI.paths["/api/v1/pasar"]; !ok {
		t.Error("API path not added")
	}
}

func TestAddModuleFilesAllowsMissingFolders(t *testing.T) {
	s := newTestShell(t)
	if err := s.AddModuleFiles("kosong", fstest.MapFS{"locales/id.json": {Data: []byte(`{"kosong.a":"a"}`)}}); err != nil {
		t.Fatal(err)
	}
}

func TestAddModuleFilesNamesTheBrokenPart(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{
		"rusak locales":      {"locales/id.json": {Data: []byte(`{`)}},
		"rusak static":       {"static": {Data: []byte(`not a folder`)}},
		"rusak openapi.json": {"openapi.json": {Data: []byte(`[`)}},
	} {
		err := newTestShell(t).AddModuleFiles("rusak", files)
		if err == nil || !strings.HasPrefix(err.Error(), name) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
