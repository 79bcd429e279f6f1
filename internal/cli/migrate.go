package cli

import (
	"context"
	"fmt"

	"github.com/sodamolek/sodamolek/internal/platform/config"
)

func init() {
	Register(Command{Name: "migrate", Summary: "apply pending database migrations and seed reference data", Run: runMigrate})
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "migrate", config.Storage)
	if err := f.Parse(args); err != nil {
		return err
	}
	a, err := OpenApp(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	pending, err := a.Deps.DB.Pending(ctx, a.MigrationSets()...)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "database %s is up to date (%d pending)\n", a.Deps.DB, len(pending))
	return nil
}
