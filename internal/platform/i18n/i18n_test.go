package i18n

import (
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestCatalogFallbackAndDuplicates(t *testing.T) {
	c := NewCatalog()
	err := c.AddFS(fstest.MapFS{
		"id.json": {Data: []byte(`{"hello":"Halo %s","only_id":"Hanya"}`)},
		"en.json": {Data: []byte(`{"hello":"Hello %s"}`)},
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T(English, "hello", "Kupang"); got != "Hello Kupang" {
		t.Errorf("got %q", got)
	}
	if got := c.T(English, "only_id"); got != "Hanya" {
		t.Errorf("fallback got %q", got)
	}
	if got := c.T(English, "absent"); got != "absent" {
		t.Errorf("missing key got %q", got)
	}
	if m := c.Missing(); len(m[English]) != 1 || m[English][0] != "only_id" {
		t.Errorf("missing = %v", m)
	}
	if err := c.AddFS(fstest.MapFS{"id.json": {Data: []byte(`{"hello":"lagi"}`)}}, "other"); err == nil {
		t.Error("duplicate key accepted")
	}
	if err := c.AddFS(fstest.MapFS{"fr.json": {Data: []byte(`{}`)}}, "fr"); err == nil {
		t.Error("unsupported locale accepted")
	}
}

func TestFromRequest(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if FromRequest(r) != Indonesian {
		t.Error("default must be Indonesian")
	}
	r.Header.Set("Accept-Language", "fr-FR, en-US;q=0.8")
	if FromRequest(r) != English {
		t.Error("Accept-Language ignored")
	}
	r.Header.Set("Cookie", "lang=id")
	if FromRequest(r) != Indonesian {
		t.Error("cookie must win")
	}
}
