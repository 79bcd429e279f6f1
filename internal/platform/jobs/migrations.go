package jobs

import (
	"embed"
	"io/fs"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations creates the job tables; apply it with the platform's sets.
var Migrations = database.Migrations{Module: "jobs", FS: mustSub(migrationFS, "migrations")}

// mustSub roots the embedded files at migrations/, where Load expects them;
// it cannot fail for a directory named in the embed pattern.
func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
