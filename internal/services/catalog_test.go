package services

import (
	"os"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/i18n/i18ntest"
)

// TestCatalogsComplete checks the catalogs (i18ntest.Check).
func TestCatalogsComplete(t *testing.T) {
	i18ntest.Check(t, os.DirFS("."), "services", i18ntest.Options{
		// Permission codes look like keys but are not.
		NotKeys: []string{"services.escalate", "services.handle", "services.manage", "services.supervise"}})
}
