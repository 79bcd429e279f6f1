package cli

import (
	"context"
	"net"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/config"
)

func init() {
	Register(Command{Name: "serve", Summary: "run the web server and background jobs", Run: runServe})
}

func runServe(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "serve", config.Storage|config.Server)
	if err := f.Parse(args); err != nil {
		return err
	}
	a, err := app.New(ctx, f.Config, app.Options{Logger: app.NewLogger(f.Config, env.Stderr)})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", f.Config.Addr)
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln)
}
