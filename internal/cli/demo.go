package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/config"
)

func init() {
	Register(Command{Name: "demo", Summary: "seed demo data, or city-scale volumes with --scale N for benchmarks", Run: runDemo})
}

func runDemo(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "demo", config.Storage)
	scale := f.Int("scale", 0, "generate scale data: N is the volume multiplier each module documents (0: demo data only)")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *scale < 0 {
		return errors.New("--scale cannot be negative")
	}
	f.Config.Demo = true
	start := time.Now()
	a, err := OpenApp(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	if *scale > 0 {
		if err := a.SeedScale(ctx, *scale); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "demo data ready in %s (%s)\n", a.Deps.DB, time.Since(start).Round(time.Millisecond))
	return nil
}
