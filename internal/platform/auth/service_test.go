package auth_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

func grantsOf(t *testing.T, e *env, role string) []auth.Grant {
	t.Helper()
	roles, err := e.svc.ListRoles(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if r.Code == role {
			return r.Grants
		}
	}
	t.Fatalf("no role %s", role)
	return nil
}

func TestSeedingKeepsAdministratorChanges(t *testing.T) {
	e := newEnv(t)
	roles, _ := e.svc.ListRoles(e.ctx)
	if len(roles) != len(auth.SeedRoles) || roles[0].Code != "admin" || roles[len(roles)-1].Code != "citizen" {
		t.Fatalf("roles %v", roles)
	}
	want := []auth.Grant{{Permission: "reports.handle", Scope: auth.ScopeUnit}}
	if diff := cmp.Diff(want, grantsOf(t, e, "officer")); diff != "" {
		t.Fatal(diff)
	}
	// An administrator widens the officer's grant and takes the
	// supervisor's away; the next start's seeding leaves both alone.
	if err := e.svc.SetRoleGrants(e.ctx, cityAdmin(), "officer", []auth.Grant{{Permission: "reports.handle", Scope: auth.ScopeSubtree}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRoleGrants(e.ctx, cityAdmin(), "supervisor", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SeedRoles(e.ctx); err != nil {
		t.Fatal(err)
	}
	if g := grantsOf(t, e, "officer"); len(g) != 1 || g[0].Scope != auth.ScopeSubtree {
		t.Fatalf("seeding overwrote the officer's grant: %v", g)
	}
	if g := grantsOf(t, e, "supervisor"); len(g) != 0 {
		t.Fatalf("seeding restored a removed grant: %v", g)
	}
	// A permission a new release declares still reaches its roles.
	e.perms.Declare(auth.Permission{Code: "reports.export"}, "supervisor:subtree")
	if err := e.svc.SeedRoles(e.ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]auth.Grant{{Permission: "reports.export", Scope: auth.ScopeSubtree}}, grantsOf(t, e, "supervisor")); diff != "" {
		t.Fatal(diff)
	}
	page, _ := e.audit.Search(e.ctx, audit.Filter{Action: "role.grants_changed"})
	if len(page.Records) != 2 || string(page.Records[1].Before) != `["reports.handle:unit"]` {
		t.Fatalf("audit %+v", page.Records)
	}
}

func TestSetRoleGrantsValidation(t *testing.T) {
	e := newEnv(t)
	var fe *auth.FieldError
	for _, g := range [][]auth.Grant{
		{{Permission: "no.such", Scope: auth.ScopeCity}},
		{{Permission: "reports.handle", Scope: "galaxy"}},
		{{Permission: "reports.handle", Scope: auth.ScopeCity}, {Permission: "reports.handle", Scope: auth.ScopeUnit}},
	} {
		if err := e.svc.SetRoleGrants(e.ctx, cityAdmin(), "officer", g); !errors.As(err, &fe) {
			t.Errorf("%v accepted: %v", g, err)
		}
	}
	if err := e.svc.SetRoleGrants(e.ctx, cityAdmin(), "astronaut", nil); err != auth.ErrNotFound {
		t.Errorf("unknown role: %v", err)
	}
	e.staff("dlhk.admin", "dlhk", "unit_admin")
	if err := e.svc.SetRoleGrants(e.ctx, e.principal("dlhk.admin"), "officer", nil); err != auth.ErrForbidden {
		t.Errorf("unit admin changing roles: %v", err)
	}
}

func TestGrantsComeFromTheDatabase(t *testing.T) {
	e := newEnv(t)
	e.staff("ani", "dlhk", "officer")
	sess, _ := e.svc.SignIn(e.ctx, "ani", "ani-password", "", client)
	p, _ := e.svc.SessionPrincipal(e.ctx, sess.Token)
	if !p.Can("reports.handle", "dlhk", nil) || p.Can("reports.handle", "dinkes", nil) {
		t.Fatalf("grants %v", p.Grants)
	}
	if err := e.svc.SetRoleGrants(e.ctx, cityAdmin(), "officer", []auth.Grant{{Permission: "reports.handle", Scope: auth.ScopeCity}}); err != nil {
		t.Fatal(err)
	}
	// Changed on this server: effective at once, cache or not.
	p, _ = e.svc.SessionPrincipal(e.ctx, sess.Token)
	if !p.Can("reports.handle", "dinkes", nil) {
		t.Fatalf("new grant not in effect: %v", p.Grants)
	}
}

func TestUnitAdministratorScope(t *testing.T) {
	e := newEnv(t)
	e.staff("dlhk.admin", "dlhk", "unit_admin")
	e.staff("dlhk.officer", "dlhk", "officer")
	zona := e.staff("zona.officer", "dlhk-zona1", "officer")
	nurse := e.staff("dinkes.officer", "dinkes", "officer")
	boss := e.staff("boss", "dlhk", "admin")
	if _, err := e.svc.CreateCitizen(e.ctx, nil, "081234567001", "Warga Satu"); err != nil {
		t.Fatal(err)
	}
	ua := e.principal("dlhk.admin")

	list, err := e.svc.ListUsers(e.ctx, ua, auth.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Username)
	}
	if diff := cmp.Diff([]string{"dlhk.admin", "dlhk.officer", "zona.officer", "boss"}, names); diff != "" {
		t.Fatalf("unit admin sees (-want +got):\n%s", diff)
	}
	all, _ := e.svc.ListUsers(e.ctx, cityAdmin(), auth.UserFilter{})
	if len(all) != 6 {
		t.Fatalf("city admin sees %d accounts", len(all))
	}
	for f, want := range map[auth.UserFilter]int{
		{Kind: auth.Citizen}:         1,
		{Role: "officer"}:            3,
		{UnitCode: "dlhk-zona1"}:     1,
		{Query: "ZONA"}:              1,
		{Query: "0812-3456-7001"}:    1,
		{Query: "warga satu"}:        1,
		{Limit: 2, AfterID: zona.ID}: 2,
		{Query: "100%_"}:             0,
	} {
		got, err := e.svc.ListUsers(e.ctx, cityAdmin(), f)
		if err != nil || len(got) != want {
			t.Errorf("filter %+v: %d accounts (%v), want %d", f, len(got), err, want)
		}
	}
	if _, err := e.svc.ListUsers(e.ctx, e.principal("dlhk.officer"), auth.UserFilter{}); err != auth.ErrForbidden {
		t.Errorf("officer listing users: %v", err)
	}
	if _, err := e.svc.GetUser(e.ctx, ua, nurse.ID); err != auth.ErrForbidden {
		t.Errorf("unit admin reading another unit's account: %v", err)
	}
	if u, err := e.svc.GetUser(e.ctx, ua, zona.ID); err != nil || u.Username != "zona.officer" || !slices.Equal(u.Roles, []string{"officer"}) {
		t.Errorf("unit admin reading a sub-unit's account: %+v %v", u, err)
	}

	// Creating: inside the subtree only, and never an admin.
	if _, err := e.svc.CreateStaff(e.ctx, ua, auth.NewStaff{Username: "x.dinkes", UnitCode: "dinkes", Password: "long-enough-pw", Roles: []string{"officer"}}); err != auth.ErrForbidden {
		t.Errorf("creating in another unit: %v", err)
	}
	var fe *auth.FieldError
	if _, err := e.svc.CreateStaff(e.ctx, ua, auth.NewStaff{Username: "x.admin", UnitCode: "dlhk", Password: "long-enough-pw", Roles: []string{"admin"}}); !errors.As(err, &fe) || fe.Code != "user.role_not_grantable" {
		t.Errorf("unit admin granting admin: %v", err)
	}
	if _, err := e.svc.CreateStaff(e.ctx, ua, auth.NewStaff{Username: "x.zona", UnitCode: "dlhk-zona1", Password: "long-enough-pw", Roles: []string{"supervisor"}}); err != nil {
		t.Errorf("creating in a sub-unit: %v", err)
	}
	for _, c := range []struct {
		in   auth.NewStaff
		code string
	}{
		{auth.NewStaff{Username: "dlhk.officer", UnitCode: "dlhk", Password: "long-enough-pw", Roles: []string{"officer"}}, "user.username_taken"},
		{auth.NewStaff{Username: "Bad Name", UnitCode: "dlhk", Password: "long-enough-pw", Roles: []string{"officer"}}, "user.username_invalid"},
		{auth.NewStaff{Username: "ok.name", UnitCode: "mars", Password: "long-enough-pw", Roles: []string{"officer"}}, "user.unit_unknown"},
		{auth.NewStaff{Username: "ok.name", UnitCode: "dlhk", Password: "short", Roles: []string{"officer"}}, "user.password_too_short"},
		{auth.NewStaff{Username: "ok.name", UnitCode: "dlhk", Password: "long-enough-pw", Roles: []string{"citizen"}}, "user.role_unknown"},
		{auth.NewStaff{Username: "ok.name", UnitCode: "dlhk", Password: "long-enough-pw"}, "user.role_required"},
		{auth.NewStaff{Username: "ok.name", UnitCode: "dlhk", Password: "long-enough-pw", Roles: []string{"officer"}, Email: "not an address"}, "user.email_invalid"},
	} {
		if _, err := e.svc.CreateStaff(e.ctx, cityAdmin(), c.in); !errors.As(err, &fe) || fe.Code != c.code {
			t.Errorf("%+v: %v, want %s", c.in, err, c.code)
		}
	}

	// Editing: a unit admin cannot touch a city admin, nor move staff out.
	if err := e.svc.UpdateStaff(e.ctx, ua, boss.ID, auth.StaffUpdate{Name: "Boss", UnitCode: "dlhk", Roles: []string{"admin"}, Disabled: true}); err != auth.ErrForbidden {
		t.Errorf("unit admin disabling an admin: %v", err)
	}
	if err := e.svc.UpdateStaff(e.ctx, ua, zona.ID, auth.StaffUpdate{Name: "Z", UnitCode: "dinkes", Roles: []string{"officer"}}); err != auth.ErrForbidden {
		t.Errorf("unit admin moving staff to another unit: %v", err)
	}
	if err := e.svc.UpdateStaff(e.ctx, ua, zona.ID, auth.StaffUpdate{Name: "Zona Satu", UnitCode: "dlhk", Roles: []string{"supervisor", "officer"}}); err != nil {
		t.Fatal(err)
	}
	page, _ := e.audit.Search(e.ctx, audit.Filter{ObjectType: "user", ObjectID: audit.ObjectID(zona.ID)})
	if page.Records[0].Action != "user.roles_changed" || string(page.Records[0].After) != `["officer","supervisor"]` ||
		page.Records[0].Actor.Name != "dlhk.admin" || page.Records[1].Action != "user.updated" {
		t.Fatalf("audit %+v", page.Records[:2])
	}
}

func TestResetPasswordEndsSessionsAndTokens(t *testing.T) {
	e := newEnv(t)
	u := e.staff("budi", "dlhk", "officer")
	sess, _ := e.svc.SignIn(e.ctx, "budi", "budi-password", "", client)
	token, _, err := e.svc.LoginAPI(e.ctx, "budi", "budi-password", "", client)
	if err != nil {
		t.Fatal(err)
	}
	// Warm the cache: the reset must still take effect at once.
	e.svc.SessionPrincipal(e.ctx, sess.Token)
	e.svc.BearerPrincipal(e.ctx, token)
	var fe *auth.FieldError
	if err := e.svc.ResetPassword(e.ctx, cityAdmin(), u.ID, "aaaaaaaaaaaa"); !errors.As(err, &fe) || fe.Code != "user.password_repetitive" {
		t.Fatalf("weak password: %v", err)
	}
	if err := e.svc.ResetPassword(e.ctx, cityAdmin(), u.ID, "a-new-long-password"); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.svc.SessionPrincipal(e.ctx, sess.Token); p != nil {
		t.Error("session survived the reset")
	}
	if p, _ := e.svc.BearerPrincipal(e.ctx, token); p != nil {
		t.Error("token survived the reset")
	}
	if _, err := e.svc.SignIn(e.ctx, "budi", "budi-password", "", client); err != auth.ErrBadCredentials {
		t.Errorf("old password: %v", err)
	}
	if _, err := e.svc.SignIn(e.ctx, "budi", "a-new-long-password", "", client); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestDisablingEndsAccessAtOnce(t *testing.T) {
	e := newEnv(t)
	u := e.staff("eko", "dlhk", "officer")
	sess, _ := e.svc.SignIn(e.ctx, "eko", "eko-password", "", client)
	e.svc.SessionPrincipal(e.ctx, sess.Token)
	if err := e.svc.UpdateStaff(e.ctx, cityAdmin(), u.ID, auth.StaffUpdate{Name: "Eko", UnitCode: "dlhk", Roles: []string{"officer"}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.svc.SessionPrincipal(e.ctx, sess.Token); p != nil {
		t.Fatal("disabled account still signed in")
	}
	if _, err := e.svc.SignIn(e.ctx, "eko", "eko-password", "", client); err != auth.ErrBadCredentials {
		t.Fatalf("disabled account signing in: %v", err)
	}
}

// TestOtherServersSeeRevocationsWithinTheCacheTTL documents the one
// eventual-consistency window of the design.
func TestOtherServersSeeRevocationsWithinTheCacheTTL(t *testing.T) {
	e := newEnv(t)
	e.staff("lina", "dlhk", "officer")
	other := e.service(auth.ServiceOptions{})
	sess, _ := e.svc.SignIn(e.ctx, "lina", "lina-password", "", client)
	if p, _ := other.SessionPrincipal(e.ctx, sess.Token); p == nil {
		t.Fatal("the other server does not see the session")
	}
	if err := e.svc.SignOut(e.ctx, sess.Token, client); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.svc.SessionPrincipal(e.ctx, sess.Token); p != nil {
		t.Fatal("signed-out session still valid on the server that signed it out")
	}
	if p, _ := other.SessionPrincipal(e.ctx, sess.Token); p == nil {
		t.Fatal("expected the other server's cache to hold the session until its TTL")
	}
	e.clock.Advance(other.Options().CacheTTL)
	if p, _ := other.SessionPrincipal(e.ctx, sess.Token); p != nil {
		t.Fatal("the other server still accepts the session after the TTL")
	}
}

func TestOTPRequestsPerHour(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		if _, err := e.svc.RequestOTP(e.ctx, "081234567001", i18n.Indonesian, client); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		e.clock.Advance(61 * time.Second)
	}
	_, err := e.svc.RequestOTP(e.ctx, "081234567001", i18n.Indonesian, client)
	var th *auth.ThrottledError
	if !errors.As(err, &th) || th.Wait <= 50*time.Minute {
		t.Fatalf("6th code within the hour: %v", err)
	}
	e.clock.Advance(th.Wait)
	if _, err := e.svc.RequestOTP(e.ctx, "081234567001", i18n.Indonesian, client); err != nil {
		t.Fatalf("after the hour: %v", err)
	}
	page, _ := e.audit.Search(e.ctx, audit.Filter{Action: "otp.requested"})
	if len(page.Records) != 6 || page.Records[0].Note != "+62812****7001" {
		t.Fatalf("audit %+v", page.Records)
	}
}

func TestPasswordHashesAreUpgraded(t *testing.T) {
	e := newEnv(t)
	u := e.staff("tua", "dlhk", "officer")
	stronger := credential.FastParams
	stronger.Time = 2
	svc := e.service(auth.ServiceOptions{PasswordParams: stronger})
	if _, err := svc.SignIn(e.ctx, "tua", "tua-password", "", client); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := e.db.QueryRowContext(e.ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, rehash, err := credential.VerifyWith("tua-password", hash, stronger); !ok || rehash || err != nil {
		t.Fatalf("hash not upgraded: %s", hash)
	}
}

func TestPruneRemovesSpentCredentials(t *testing.T) {
	e := newEnv(t)
	e.staff("prune", "dlhk", "officer")
	e.svc.SignIn(e.ctx, "prune", "prune-password", "", client)
	e.svc.SignIn(e.ctx, "prune", "wrong-password", "", client)
	e.svc.RequestOTP(e.ctx, "081234567009", i18n.Indonesian, client)
	if n, err := e.svc.Prune(e.ctx); err != nil || n != 0 {
		t.Fatalf("pruned %d live rows: %v", n, err)
	}
	e.clock.Advance(25 * time.Hour)
	n, err := e.svc.Prune(e.ctx)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d rows, want session + code + failure: %v", n, err)
	}
}

// TestConcurrentLookupsAndRevocation exercises the cache from many
// goroutines while sessions end (run with -race).
func TestConcurrentLookupsAndRevocation(t *testing.T) {
	e := newEnv(t)
	e.staff("ramai", "dlhk", "officer")
	var tokens []string
	for range 4 {
		s, err := e.svc.SignIn(e.ctx, "ramai", "ramai-password", "", client)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, s.Token)
	}
	done := make(chan struct{})
	errs := make(chan error, 64)
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 50 {
				if _, err := e.svc.SessionPrincipal(e.ctx, tokens[(i+j)%len(tokens)]); err != nil {
					errs <- err
					return
				}
				if j%10 == 0 {
					e.clock.Advance(time.Second)
				}
			}
		}()
	}
	if err := e.svc.SignOut(e.ctx, tokens[0], client); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p, _ := e.svc.SessionPrincipal(e.ctx, tokens[0]); p != nil {
		t.Fatal("signed-out session resolved after the goroutines finished")
	}
}
