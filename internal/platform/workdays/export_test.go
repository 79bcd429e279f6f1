package workdays

import (
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// DBOf exposes a store's database to the external tests.
func DBOf(t *testing.T, s *Store) *database.DB { t.Helper(); return s.db }
