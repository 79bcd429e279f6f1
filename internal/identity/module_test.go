package identity

import (
	"slices"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// TestModuleContract checks that every field error code the service can
// return has a message. (OpenAPI coverage, complete catalogs and
// migrations that only add are checked for all modules in
// internal/apptest.)
func TestModuleContract(t *testing.T) {
	h := start(t)
	sh := h.app.Deps.Shell
	for _, code := range []string{"user.nik_empty", "user.nik_chars", "user.nik_length", "user.nik_region", "user.nik_birthdate",
		"user.nik_serial", "user.nik_birthdate_mismatch", "user.nik_sex_mismatch", "user.phone_empty", "user.phone_invalid",
		"user.phone_not_indonesian", "user.phone_not_mobile", "user.password_too_short", "user.password_too_long",
		"user.password_repetitive"} {
		if !sh.Catalog().Has(code) {
			t.Errorf("no message for %s", code)
		}
	}
}

func TestAuditLogRefusesChangesInTheApplicationDatabase(t *testing.T) {
	h := start(t)
	h.staff("a.b", "dlhk", "officer")
	for _, q := range []string{`UPDATE audit_log SET note = 'x'`, `DELETE FROM audit_log`} {
		if _, err := h.app.Deps.DB.ExecContext(h.ctx(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestAdministrationIsAudited walks the service API the admin pages use
// and checks that each write left its row, with the acting administrator.
func TestAdministrationIsAudited(t *testing.T) {
	h := start(t, "--demo")
	p := h.principalWith("admin", DemoPassword)
	u, err := h.svc.CreateStaff(h.ctx(), p, auth.NewStaff{Username: "baru", Name: "Baru", UnitCode: "dlhk", Password: "a-long-password", Roles: []string{"officer"}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error {
			return h.svc.UpdateStaff(h.ctx(), p, u.ID, auth.StaffUpdate{Name: "Baru Sekali", UnitCode: "dlhk", Roles: []string{"supervisor"}})
		},
		func() error { return h.svc.ResetPassword(h.ctx(), p, u.ID, "another-long-password") },
		func() error { return h.svc.Unlock(h.ctx(), p, u.ID) },
		func() error { return h.svc.ResetTOTP(h.ctx(), p, u.ID) },
		func() error {
			return h.svc.SetRoleGrants(h.ctx(), p, "officer", []auth.Grant{{Permission: "users.manage", Scope: auth.ScopeUnit}})
		},
		func() error {
			_, info, err := h.svc.CreateAPIKey(h.ctx(), p, "Bank NTT", []string{"bank"})
			if err != nil {
				return err
			}
			return h.svc.RevokeAPIKey(h.ctx(), p, info.ID)
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	page, err := h.mod.Audit().Search(h.ctx(), audit.Filter{ActorKind: audit.ActorUser, ActorID: p.UserID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Records {
		if r.Actor.Name != "admin" || r.Actor.IP != "" && r.Actor.IP != "127.0.0.1" {
			t.Errorf("actor %+v", r.Actor)
		}
		got = append(got, r.Action)
	}
	for _, want := range []string{"signin.succeeded", "user.created", "user.updated", "user.roles_changed", "user.password_reset",
		"user.unlocked", "user.totp_reset", "role.grants_changed", "apikey.created", "apikey.revoked"} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s among %v", want, got)
		}
	}
}

// principalWith signs in through the API with a password and resolves
// the token, giving a principal to call the service as that person.
func (h *harness) principalWith(username, password string) *auth.Principal {
	h.t.Helper()
	token, _, err := h.svc.LoginAPI(h.ctx(), username, password, "", auth.ClientInfo{IP: "127.0.0.1"})
	if err != nil {
		h.t.Fatalf("login %s: %v", username, err)
	}
	p, err := h.svc.BearerPrincipal(h.ctx(), token)
	if err != nil || p == nil {
		h.t.Fatalf("principal %s: %v", username, err)
	}
	return p
}
