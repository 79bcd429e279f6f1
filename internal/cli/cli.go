// Package cli is the sodamolek command line: serve, migrate, version,
// backup, demo and the administration commands. main only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/config"
)

// Env is the process environment a command runs in (replaceable in tests).
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand, possibly two words ("user add").
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, env Env, args []string) error
}

var commands = map[string]Command{}

// Register adds a subcommand; each lives in its own file.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// Main runs the command line and returns the exit code. Errors are one
// line on stderr.
func Main(args []string) int {
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, env, args)
}

// Run is Main with an explicit environment.
func Run(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return 0
	}
	cmd, rest, ok := lookup(args)
	if !ok {
		fmt.Fprintf(env.Stderr, "sodamolek: unknown command %q (run \"sodamolek help\")\n", strings.Join(args[:min(2, len(args))], " "))
		return 2
	}
	if err := cmd.Run(ctx, env, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "sodamolek %s: %s\n", cmd.Name, oneLine(err))
		return 1
	}
	return 0
}

func lookup(args []string) (Command, []string, bool) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:], true
		}
	}
	c, ok := commands[args[0]]
	return c, args[1:], ok
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Sodamolek — integrated public-service platform.")
	fmt.Fprintln(w, "\nUsage: sodamolek COMMAND [flags]   (every flag also reads SODAMOLEK_<FLAG> from the environment)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun \"sodamolek COMMAND --help\" for a command's flags.")
}

// oneLine keeps a failure to a single line on the terminal.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

// Flags is a command's flag set with the configuration flags of the
// chosen groups registered.
type Flags struct {
	*flag.FlagSet
	Config config.Config
	env    Env
}

// NewFlags starts a command's flag set.
func NewFlags(env Env, name string, groups config.Group) *Flags {
	f := &Flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), env: env}
	config.Register(f.FlagSet, &f.Config, groups)
	return f
}

// Parse parses args and the environment; --help prints the flags.
func (f *Flags) Parse(args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			f.SetOutput(f.env.Stdout)
			fmt.Fprintf(f.env.Stdout, "Usage of sodamolek %s:\n", f.Name())
			f.PrintDefaults()
			return flag.ErrHelp
		}
	}
	return config.Parse(f.FlagSet, &f.Config, args, f.env.Getenv)
}

// OpenApp builds the application for a one-shot command: migrations are
// applied, background workers are off.
func OpenApp(ctx context.Context, f *Flags) (*app.App, error) {
	cfg := f.Config
	cfg.Workers = 0
	if cfg.NotifyKind == "" {
		cfg.NotifyKind = "log"
	}
	if cfg.Addr == "" {
		cfg.Addr = "localhost:8080"
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 1
	}
	return app.New(ctx, cfg, app.Options{Logger: app.NewLogger(cfg, f.env.Stderr)})
}
