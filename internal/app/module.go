// Package app assembles Sodamolek: it builds the shared platform (config,
// database, jobs, regions, units, files, notifications, web shell) and
// the domain modules that registered themselves, and runs them as one
// server. Modules depend on the platform; the platform never imports a
// module; this package is the only place that knows both.
package app

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// Module is a domain module (identity, reports, services, health, …).
// It may also implement any of the optional interfaces below; the app
// calls what a module implements, in registration order.
type Module interface {
	Name() string
}

// Migrator ships database migrations.
type Migrator interface {
	Migrations() []database.Migrations
}

// Mounter adds routes, templates, messages, static files, navigation and
// home-page links to the web shell.
type Mounter interface {
	Mount(d *Deps) error
}

// Seeder loads reference data that every deployment needs (categories,
// catalogs, default roles). It runs at every start and must be idempotent.
type Seeder interface {
	Seed(ctx context.Context, d *Deps) error
}

// DemoSeeder adds realistic demo data to an empty database (serve --demo).
type DemoSeeder interface {
	SeedDemo(ctx context.Context, d *Deps) error
}

// ScaleSeeder adds city-scale volumes for benchmarks (demo --scale N).
type ScaleSeeder interface {
	SeedScale(ctx context.Context, d *Deps, scale int) error
}

// JobRegistrar registers background job handlers and schedules.
type JobRegistrar interface {
	RegisterJobs(q *jobs.Queue, d *Deps)
}

// Factory builds a module from the platform.
type Factory struct {
	Name string
	// Order places the module among the others (lower first); identity
	// comes before modules whose pages need signed-in users.
	Order int
	New   func(d *Deps) (Module, error)
}

var (
	registryMu sync.Mutex
	registry   []Factory
)

// Register adds a module factory; each module calls it from an init
// function, and cmd/sodamolek imports the module packages. No central
// switch lists modules.
func Register(f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, g := range registry {
		if g.Name == f.Name {
			panic(fmt.Sprintf("app: module %q registered twice", f.Name))
		}
	}
	registry = append(registry, f)
}

func factories() []Factory {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := append([]Factory(nil), registry...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}
