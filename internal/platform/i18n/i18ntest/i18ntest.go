// Package i18ntest checks a module's message catalogs from the module's
// own tests, so that a text missing in one language, or a key a page
// names but no catalog defines (which would show raw on the page), fails
// the build of that module rather than surprising a user.
package i18ntest

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Options describe what a plain scan of the sources cannot see.
type Options struct {
	// Composed are keys built at run time (a prefix plus a code), given
	// in full: "prices.status.approved".
	Composed []string
	// NotKeys are strings that look like keys but are not (permission
	// codes, job kinds).
	NotKeys []string
	// Unused makes a key that no source names an error too.
	Unused bool
}

// Catalogs are a module's texts by locale.
type Catalogs map[string]map[string]string

// verbs are the fmt verbs of a text: both languages must take the same
// arguments in the same order.
var verbs = regexp.MustCompile(`%[-+ #0-9.]*[a-zA-Z%]`)

// Check reads locales/id.json and locales/en.json from files (the
// module's embedded files) and checks that:
//   - both languages define the same keys, with the same fmt verbs;
//   - every key starts with module + ".";
//   - every key the module's Go sources and templates (under the current
//     directory, tests excluded) name literally, and every composed key,
//     is defined.
func Check(t testing.TB, files fs.FS, module string, opts Options) Catalogs {
	t.Helper()
	cat := Catalogs{}
	for _, loc := range []string{"id", "en"} {
		raw, err := fs.ReadFile(files, "locales/"+loc+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("locales/%s.json: %v", loc, err)
		}
		cat[loc] = m
	}
	for k, id := range cat["id"] {
		en, ok := cat["en"][k]
		switch {
		case !ok:
			t.Errorf("%s has no English text", k)
		case strings.Join(verbs.FindAllString(id, -1), "") != strings.Join(verbs.FindAllString(en, -1), ""):
			t.Errorf("%s: the Indonesian and English texts take different arguments", k)
		}
		if !strings.HasPrefix(k, module+".") {
			t.Errorf("%s is outside the module's prefix %q", k, module+".")
		}
	}
	for k := range cat["en"] {
		if _, ok := cat["id"][k]; !ok {
			t.Errorf("%s has no Indonesian text", k)
		}
	}

	used := usedKeys(t, module)
	for _, k := range opts.Composed {
		used[k] = true
	}
	for _, k := range opts.NotKeys {
		delete(used, k)
	}
	var missing, unused []string
	for k := range used {
		if _, ok := cat["id"][k]; !ok {
			missing = append(missing, k)
		}
	}
	if opts.Unused {
		for k := range cat["id"] {
			if !used[k] {
				unused = append(unused, k)
			}
		}
	}
	slices.Sort(missing)
	slices.Sort(unused)
	if len(missing) > 0 {
		t.Errorf("keys used but not defined: %v", missing)
	}
	if len(unused) > 0 {
		t.Errorf("keys defined but never used: %v", unused)
	}
	return cat
}

// usedKeys scans the sources for quoted keys of the module. A literal
// ending in "." or "_" is a prefix that the code completes (the caller
// lists those keys as composed).
func usedKeys(t testing.TB, module string) map[string]bool {
	t.Helper()
	literal := regexp.MustCompile(`"(` + regexp.QuoteMeta(module) + `\.[a-z0-9_.]+)"`)
	used := map[string]bool{}
	err := fs.WalkDir(os.DirFS("."), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") ||
			!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(raw), -1) {
			if k := m[1]; !strings.HasSuffix(k, ".") && !strings.HasSuffix(k, "_") {
				used[k] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}
