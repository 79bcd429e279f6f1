package admin

import (
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/i18n/i18ntest"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// TestCatalogsComplete checks the catalogs (i18ntest.Check), with the keys
// the console composes at run time.
func TestCatalogsComplete(t *testing.T) {
	var composed []string
	use := func(k string) { composed = append(composed, k) }
	for _, k := range flashKeys {
		use("admin.flash." + k)
	}
	for _, a := range areas {
		use("admin.area." + a.Key)
		use("admin.area." + a.Key + "_desc")
	}
	for _, s := range jobs.States {
		use("admin.jobs.state_" + s)
	}
	for _, s := range scopes {
		use("admin.scope." + s)
	}
	for _, k := range []audit.ActorKind{audit.ActorUser, audit.ActorAPIKey, audit.ActorSystem, audit.ActorAnonymous} {
		use("admin.audit.kind_" + string(k))
	}
	for _, k := range []string{"staff", "citizen"} {
		use("admin.kind." + k)
	}
	for _, code := range []string{"unit_code_invalid", "unit_code_taken", "unit_name_invalid", "unit_short_name_invalid",
		"unit_type_required", "unit_type_invalid", "unit_parent_cycle", "unit_parent_unknown", "unit_region_unknown",
		"unit_location_incomplete", "unit_location_invalid", "unit_area_unknown"} {
		use("admin.units.error." + code)
	}
	for _, typ := range seededTypes {
		use("admin.unit_type." + string(typ))
	}
	i18ntest.Check(t, moduleFiles, "admin", i18ntest.Options{Composed: composed})
}
