package admin

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// TestCatalogsComplete checks that both languages define the same keys,
// all under "admin.", and that every key the pages and handlers use,
// literally or by composition, is defined: a missing key would show
// itself raw on a page.
func TestCatalogsComplete(t *testing.T) {
	cat := map[string]map[string]string{}
	for _, loc := range []string{"id", "en"} {
		raw, err := fs.ReadFile(moduleFiles, "locales/"+loc+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s.json: %v", loc, err)
		}
		cat[loc] = m
	}
	for k := range cat["id"] {
		if _, ok := cat["en"][k]; !ok {
			t.Errorf("%s has no English text", k)
		}
		if !strings.HasPrefix(k, "admin.") {
			t.Errorf("%s is outside the module's prefix", k)
		}
	}
	for k := range cat["en"] {
		if _, ok := cat["id"][k]; !ok {
			t.Errorf("%s has no Indonesian text", k)
		}
	}

	used := map[string]bool{}
	literal := regexp.MustCompile(`"(admin\.[a-z_]+(?:\.[a-z_]+)*)"`)
	files, _ := filepath.Glob("*.go")
	tmpl, _ := filepath.Glob("templates/*.html")
	for _, f := range append(files, tmpl...) {
		if f == "catalog_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			// A literal ending in "." or "_" is a prefix completed below.
			if k := m[1]; k[len(k)-1] != '.' && k[len(k)-1] != '_' {
				used[k] = true
			}
		}
	}
	for _, k := range flashKeys {
		used["admin.flash."+k] = true
	}
	for _, a := range areas {
		used["admin.area."+a.Key] = true
		used["admin.area."+a.Key+"_desc"] = true
	}
	for _, s := range jobs.States {
		used["admin.jobs.state_"+s] = true
	}
	for _, s := range scopes {
		used["admin.scope."+s] = true
	}
	for _, k := range []audit.ActorKind{audit.ActorUser, audit.ActorAPIKey, audit.ActorSystem, audit.ActorAnonymous} {
		used["admin.audit.kind_"+string(k)] = true
	}
	for _, k := range []string{"staff", "citizen"} {
		used["admin.kind."+k] = true
	}
	for _, code := range []string{"unit_code_invalid", "unit_code_taken", "unit_name_invalid", "unit_short_name_invalid",
		"unit_type_required", "unit_type_invalid", "unit_parent_cycle", "unit_parent_unknown", "unit_region_unknown",
		"unit_location_incomplete", "unit_location_invalid", "unit_area_unknown"} {
		used["admin.units.error."+code] = true
	}
	for _, typ := range seededTypes {
		used["admin.unit_type."+string(typ)] = true
	}
	var missing []string
	for k := range used {
		if _, ok := cat["id"][k]; !ok {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("keys used but not defined: %v", missing)
	}
}
