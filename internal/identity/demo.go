package identity

import (
	"context"
	"errors"
	"fmt"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// DemoPassword is the password of every demo staff account (documented in
// docs/demo-accounts.md). Demo mode also waives the administrators' TOTP
// requirement, so the admin pages can be tried with it alone.
const DemoPassword = "demo-kupang-2026"

// DemoCitizenPhone is the demo citizen's number; its sign-in code appears
// in the server log, since demo mode logs messages instead of sending
// them.
const DemoCitizenPhone = "+6281234567890"

// demoAccount is one demo staff account.
type demoAccount struct {
	Username, Name, Unit string
	Roles                []string
}

// DemoAccounts are seeded in demo mode, one for every role; the list in
// docs/demo-accounts.md must match it (a test checks).
var DemoAccounts = []demoAccount{
	{"admin", "Administrator Kota (demo)", "pemkot", []string{"admin"}},
	{"walikota", "Wali Kota Kupang (demo)", "pemkot", []string{"executive"}},
	{"dlhk.admin", "Admin DLHK (demo)", "dlhk", []string{"unit_admin"}},
	{"dlhk.supervisor", "Supervisor DLHK (demo)", "dlhk", []string{"supervisor"}},
	{"dlhk.officer", "Petugas DLHK (demo)", "dlhk", []string{"officer"}},
	{"polsek.alak", "Petugas Polsek Alak (demo)", "polsek-alak", []string{"officer"}},
	{"pkm.oesapa", "Petugas Puskesmas Oesapa (demo)", "pkm-oesapa", []string{"health_staff"}},
	{"enumerator", "Enumerator Harga Disperindag (demo)", "disperindag", []string{"enumerator"}},
	{"asn.kominfo", "ASN Diskominfo (demo)", "kominfo", []string{"employee"}},
	// A taxpayer's account is administered by the revenue agency, so it
	// hangs under Bapenda; the tax module links it to an NPWPD.
	{"wp.hotel", "Hotel Demo Kupang (wajib pajak)", "bapenda", []string{"taxpayer"}},
}

// SeedDemo implements app.DemoSeeder: the demo accounts. It runs once,
// into an empty database (the app records that demo data was seeded).
func (m *Module) SeedDemo(ctx context.Context, d *app.Deps) error {
	for _, a := range DemoAccounts {
		_, err := m.svc.CreateStaff(ctx, nil, auth.NewStaff{Username: a.Username, Name: a.Name, UnitCode: a.Unit,
			Password: DemoPassword, Roles: a.Roles})
		var fe *auth.FieldError
		if errors.As(err, &fe) && fe.Code == "user.username_taken" {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo account %s: %w", a.Username, err)
		}
	}
	_, err := m.svc.CreateCitizen(ctx, nil, DemoCitizenPhone, "Maria Ndun (demo)")
	var fe *auth.FieldError
	if errors.As(err, &fe) && fe.Code == "user.phone_taken" {
		return nil
	}
	return err
}
