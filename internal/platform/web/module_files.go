package web

import (
	"errors"
	"fmt"
	"io/fs"
)

// AddModuleFiles adds what a module embeds, found by folder so that every
// module lays its files out the same way and mounts them with one call:
//
//	templates/*.html  pages, rendered as "{module}/{name}.html"
//	locales/*.json    message catalogs
//	static/           assets, served under content-hashed names
//	openapi.json      the module's part of the API document
//
// Any of them may be absent. A module embeds them with
//
//	//go:embed templates/*.html locales/*.json static openapi.json
//
// (named patterns, because embedding a bare folder skips "_partial.html").
func (s *Shell) AddModuleFiles(module string, files fs.FS) error {
	folders := []struct {
		name string
		add  func(fs.FS) error
	}{
		{"templates", func(dir fs.FS) error { return s.Render.AddTemplates(dir, module) }},
		{"locales", func(dir fs.FS) error { return s.catalog.AddFS(dir, module) }},
		{"static", func(dir fs.FS) error { return s.Assets.Add(dir, module) }},
	}
	for _, f := range folders {
		dir, ok, err := subIfPresent(files, f.name)
		if ok {
			err = f.add(dir)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", module, f.name, err)
		}
	}
	raw, err := fs.ReadFile(files, "openapi.json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = s.OpenAPI.AddFragment(raw)
	}
	if err != nil {
		return fmt.Errorf("%s openapi.json: %w", module, err)
	}
	return nil
}

// subIfPresent is the folder name of files, and whether it exists.
func subIfPresent(files fs.FS, name string) (fs.FS, bool, error) {
	info, err := fs.Stat(files, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !info.IsDir() {
		return nil, false, fmt.Errorf("%s is not a folder", name)
	}
	dir, err := fs.Sub(files, name)
	return dir, err == nil, err
}
