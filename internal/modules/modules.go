// Package modules links every domain module into the binary. Each module
// registers itself with the app from its init function; adding a module
// is one import line here.
package modules

import (
	_ "github.com/sodamolek/sodamolek/internal/admin"
	_ "github.com/sodamolek/sodamolek/internal/directory"
	_ "github.com/sodamolek/sodamolek/internal/health"
	_ "github.com/sodamolek/sodamolek/internal/identity"
	_ "github.com/sodamolek/sodamolek/internal/prices"
	_ "github.com/sodamolek/sodamolek/internal/reports"
	_ "github.com/sodamolek/sodamolek/internal/services"
)
