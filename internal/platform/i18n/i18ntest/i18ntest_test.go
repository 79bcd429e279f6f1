package i18ntest

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// recorder collects what Check reports instead of failing this test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheckFindsEachKindOfMistake(t *testing.T) {
	files := fstest.MapFS{
		"locales/id.json": {Data: []byte(`{"uji.a":"A %d","uji.b":"B","lain.c":"C","uji.d":"D"}`)},
		"locales/en.json": {Data: []byte(`{"uji.a":"A %s","lain.c":"C","uji.d":"D","uji.e":"E"}`)},
	}
	r := &recorder{TB: t}
	Check(r, files, "uji", Options{Composed: []string{"uji.a", "uji.x"}, Unused: true})
	got := strings.Join(r.errs, "\n")
	for _, want := range []string{
		"uji.a: the Indonesian and English texts take different arguments",
		"uji.b has no English text",
		`lain.c is outside the module's prefix "uji."`,
		"uji.e has no Indonesian text",
		"keys used but not defined: [uji.x]",
		"keys defined but never used: [lain.c uji.b uji.d]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	clean := &recorder{TB: t}
	Check(clean, fstest.MapFS{
		"locales/id.json": {Data: []byte(`{"uji.a":"A %d"}`)},
		"locales/en.json": {Data: []byte(`{"uji.a":"A %d"}`)},
	}, "uji", Options{Composed: []string{"uji.a"}, Unused: true})
	if len(clean.errs) > 0 {
		t.Errorf("clean catalogs reported: %v", clean.errs)
	}
}
