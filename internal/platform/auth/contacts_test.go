package auth_test

import (
	"slices"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

func TestStaffEmailsSelectsActiveHolders(t *testing.T) {
	e := newEnv(t)
	add := func(username, unit, email string, disabled bool, roles ...string) {
		u := e.staff(username, unit, roles...)
		if err := e.svc.UpdateStaff(e.ctx, nil, u.ID, auth.StaffUpdate{Name: username, Email: email, UnitCode: unit, Roles: roles, Disabled: disabled}); err != nil {
			t.Fatal(err)
		}
	}
	add("sup.dlhk", "dlhk", "sup@dlhk.kupangkota.go.id", false, "supervisor")
	add("off.dlhk", "dlhk", "off@dlhk.kupangkota.go.id", false, "officer")
	add("sup.lama", "dlhk", "lama@dlhk.kupangkota.go.id", true, "supervisor")
	add("sup.tanpa", "dlhk", "", false, "supervisor")
	add("sup.dinkes", "dinkes", "sup@dinkes.kupangkota.go.id", false, "supervisor")
	for _, c := range []struct {
		q    auth.StaffQuery
		want []string
	}{
		{auth.StaffQuery{Unit: "dlhk", Role: "supervisor"}, []string{"sup@dlhk.kupangkota.go.id"}},
		{auth.StaffQuery{Role: "supervisor"}, []string{"sup@dinkes.kupangkota.go.id", "sup@dlhk.kupangkota.go.id"}},
		// Supervisors handle the queue too (their seeded grants).
		{auth.StaffQuery{Unit: "dlhk", Permission: "reports.handle"}, []string{"off@dlhk.kupangkota.go.id", "sup@dlhk.kupangkota.go.id"}},
		{auth.StaffQuery{Unit: "bpn", Role: "supervisor"}, nil},
	} {
		got, err := auth.StaffEmails(e.ctx, e.db, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v = %v, want %v", c.q, got, c.want)
		}
	}
}
