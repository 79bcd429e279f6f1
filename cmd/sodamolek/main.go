// Command sodamolek is Sodamolek's single binary: web server, background
// jobs and administration commands.
package main

import (
	"os"
	_ "time/tzdata" // the city's time zone even on hosts without tzdata

	"github.com/sodamolek/sodamolek/internal/cli"
	_ "github.com/sodamolek/sodamolek/internal/modules" // every domain module registers itself
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
