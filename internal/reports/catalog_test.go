package reports_test

import (
	"os"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/i18n/i18ntest"
)

// TestCatalogsComplete checks the catalogs (i18ntest.Check).
func TestCatalogsComplete(t *testing.T) {
	i18ntest.Check(t, os.DirFS("."), "reports", i18ntest.Options{
		// Permission codes and a job kind look like keys but are not.
		NotKeys: []string{"reports.handle", "reports.manage", "reports.sla_scan", "reports.supervise"}})
}
