// Package identity is the identity and access module: sign-in pages for
// staff (password, then TOTP) and citizens (mobile number, then a
// one-time code), citizen sign-up, the account page (profile with NIK,
// second factor, sessions, data download, account deletion), sign-out,
// the JSON API's login, logout and "me" endpoints, and the demo accounts.
//
// The rules live in package auth (accounts, sessions, tokens, keys,
// roles), package audit (the append-only log) and package pii (sealing
// personal data), which the platform builds (app.Deps.Auth, Audit,
// Sealer) and migrates; this package adds the permissions, the seeded
// roles, the pages, the demo accounts and the clean-up job.
package identity

import (
	"context"
	"embed"
	"errors"
	"time"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

//go:embed templates/*.html locales/*.json openapi.json
var moduleFiles embed.FS

func init() {
	app.Register(app.Factory{Name: "identity", Order: 10, New: New})
}

// Module is the identity module.
type Module struct {
	d      *app.Deps
	svc    *auth.Service
	limits limits
}

// limits are the per-IP (route) and per-account (AllowKey) rate limits of
// the sign-in endpoints. They live in this process; the lock-out counters
// and one-time code attempts that matter for security are in the
// database.
type limits struct {
	signin        *web.Limit // per IP: password and TOTP forms, API login
	signinAccount *web.Limit // per account name
	otpSend       *web.Limit // per IP: code requests
	otpSendPhone  *web.Limit // per number
	otpVerify     *web.Limit // per IP: code checks
	otpPhone      *web.Limit // per number
}

func newLimits() limits {
	return limits{
		signin:        web.NewLimit("signin", 10, 10),
		signinAccount: web.NewLimit("signin-account", 10, 10),
		otpSend:       web.NewLimit("otp-send", 6, 6),
		otpSendPhone:  web.NewLimit("otp-send-phone", 2, 3),
		otpVerify:     web.NewLimit("otp-verify", 12, 12),
		otpPhone:      web.NewLimit("otp-verify-phone", 10, 8),
	}
}

// New builds the module on the identity service the platform made
// (app.Deps.Auth, with the audit log and the personal-data sealer), and
// declares the module's permissions.
func New(d *app.Deps) (app.Module, error) {
	if d.Auth == nil || d.Audit == nil {
		return nil, errors.New("identity: the platform built no identity service")
	}
	declarePermissions(d.Perms)
	return &Module{d: d, svc: d.Auth, limits: newLimits()}, nil
}

// declarePermissions adds the identity module's permissions with their
// default grants.
func declarePermissions(r *auth.Registry) {
	r.Declare(auth.Permission{Code: "users.manage", Description: "perm.users_manage"}, "unit_admin:subtree", "admin:city")
	r.Declare(auth.Permission{Code: "roles.manage", Description: "perm.roles_manage"}, "admin:city")
	r.Declare(auth.Permission{Code: "apikeys.manage", Description: "perm.apikeys_manage"}, "admin:city")
	r.Declare(auth.Permission{Code: "audit.read", Description: "perm.audit_read"}, "admin:city")
	r.Declare(auth.Permission{Code: "units.manage", Description: "perm.units_manage"}, "admin:city")
	r.Declare(auth.Permission{Code: "jobs.manage", Description: "perm.jobs_manage"}, "admin:city")
}

// Name implements app.Module.
func (m *Module) Name() string { return "identity" }

// Service is the identity service (also app.Deps.Auth).
func (m *Module) Service() *auth.Service { return m.svc }

// Audit is the audit log (also app.Deps.Audit).
func (m *Module) Audit() *audit.Log { return m.d.Audit }

// Seed implements app.Seeder: roles and their default grants.
func (m *Module) Seed(ctx context.Context, d *app.Deps) error { return m.svc.SeedRoles(ctx) }

// pruneKind is the periodic clean-up of spent credentials.
const pruneKind = "identity.prune"

// RegisterJobs implements app.JobRegistrar.
func (m *Module) RegisterJobs(q *jobs.Queue, d *app.Deps) {
	q.Register(pruneKind, func(ctx context.Context, _ *jobs.Job) error {
		n, err := m.svc.Prune(ctx)
		if err == nil && n > 0 {
			d.Log.Debug("identity: pruned spent credentials", "rows", n)
		}
		return err
	})
	q.Schedule(pruneKind, time.Hour)
}

// Mount implements app.Mounter.
func (m *Module) Mount(d *app.Deps) error {
	sh := d.Shell
	if err := sh.AddModuleFiles("identity", moduleFiles); err != nil {
		return err
	}
	m.routes(sh.Router)
	return nil
}

// The identity service is the shell's authenticator (set by the platform).
var _ web.Authenticator = (*auth.Service)(nil)
