package auth_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/pii"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// env is the identity service on a fresh database with a small unit tree:
//
//	pemkot ─┬─ dlhk ── dlhk-zona1
//	        └─ dinkes
type env struct {
	t     testing.TB
	db    *database.DB
	clock *clock.Manual
	perms *auth.Registry
	svc   *auth.Service
	deps  auth.ServiceDeps
	audit *audit.Log
	sent  *outbox
	ctx   context.Context
}

type outbox struct{ msgs []notify.Message }

func (o *outbox) Send(_ context.Context, m notify.Message) error {
	o.msgs = append(o.msgs, m)
	return nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.Engine()
	sets := append([]database.Migrations{units.Migrations, jobs.Migrations}, audit.Migrations(d)...)
	db := dbtest.New(t, append(sets, auth.Migrations)...)
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC))
	us := units.NewStore(db, clk)
	for _, u := range []units.Unit{
		{Code: "pemkot", Name: "Pemerintah Kota Kupang", Type: units.TypeCity},
		{Code: "dlhk", Name: "DLHK", Type: units.TypeDinas, ParentCode: "pemkot"},
		{Code: "dlhk-zona1", Name: "DLHK Zona 1", Type: units.TypeTeam, ParentCode: "dlhk"},
		{Code: "dinkes", Name: "Dinkes", Type: units.TypeDinas, ParentCode: "pemkot"},
	} {
		u.Active = true
		if err := us.Save(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	perms := auth.NewRegistry()
	perms.Declare(auth.Permission{Code: "users.manage"}, "unit_admin:subtree", "admin:city")
	perms.Declare(auth.Permission{Code: "roles.manage"}, "admin:city")
	perms.Declare(auth.Permission{Code: "apikeys.manage"}, "admin:city")
	perms.Declare(auth.Permission{Code: "reports.handle"}, "officer:unit", "supervisor:subtree")
	sealer, err := pii.NewSealer([]byte(strings.Repeat("s", pii.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.NewCatalog()
	if err := cat.AddFS(fstest.MapFS{"id.json": {Data: []byte(`{"otp.message": "Kode %s, berlaku %d menit"}`)}}, "test"); err != nil {
		t.Fatal(err)
	}
	sent := &outbox{}
	q := jobs.New(db, clk, quiet, jobs.Options{})
	log := audit.New(db, clk)
	deps := auth.ServiceDeps{DB: db, Clock: clk, Units: us, Perms: perms, Sealer: sealer, Audit: log,
		Notifier: notify.NewNotifier(q, sent, quiet), Log: quiet, Catalog: cat}
	e := &env{t: t, db: db, clock: clk, perms: perms, deps: deps, audit: log, sent: sent, ctx: ctx}
	e.svc = e.service(auth.ServiceOptions{})
	if err := e.svc.SeedRoles(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

// service builds another service over the same database, as a second
// server would have.
func (e *env) service(opts auth.ServiceOptions) *auth.Service {
	if opts.PasswordParams == (credential.Params{}) {
		opts.PasswordParams = credential.FastParams
	}
	return auth.NewService(e.deps, opts)
}

func (e *env) staff(username, unit string, roles ...string) auth.User {
	e.t.Helper()
	u, err := e.svc.CreateStaff(e.ctx, nil, auth.NewStaff{Username: username, UnitCode: unit, Password: username + "-password", Roles: roles})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

var client = auth.ClientInfo{IP: "10.0.0.1", UserAgent: "test"}

// principal signs in (web session) and resolves the session.
func (e *env) principal(username string) *auth.Principal {
	e.t.Helper()
	sess, err := e.svc.SignIn(e.ctx, username, username+"-password", "", client)
	if err != nil {
		e.t.Fatal(err)
	}
	p, err := e.svc.SessionPrincipal(e.ctx, sess.Token)
	if err != nil || p == nil {
		e.t.Fatalf("principal of %s: %v", username, err)
	}
	return p
}

func cityAdmin() *auth.Principal {
	return &auth.Principal{Kind: auth.Staff, UserID: 0, Username: "root", Grants: []auth.Grant{
		{Permission: "users.manage", Scope: auth.ScopeCity}, {Permission: "roles.manage", Scope: auth.ScopeCity},
		{Permission: "apikeys.manage", Scope: auth.ScopeCity}}}
}
