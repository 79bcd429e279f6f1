package app

import (
	"fmt"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/pii"
)

// newIdentity builds the platform's identity parts: the personal-data
// sealer (key from SODAMOLEK_SECRET_KEY or DATA/secret.key), the audit
// log, and the auth service, which becomes the web shell's
// authenticator. The identity module adds the pages on top.
func newIdentity(d *Deps, opts Options) error {
	key, err := pii.LoadOrCreateKey(d.Config.DataDir)
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	d.Sealer, err = pii.NewSealer(key)
	if err != nil {
		return err
	}
	d.Audit = audit.New(d.DB, d.Clock)
	params := credential.DefaultParams
	if opts.PasswordParams != nil {
		params = *opts.PasswordParams
	}
	d.Auth = auth.NewService(auth.ServiceDeps{DB: d.DB, Clock: d.Clock, Units: d.Units, Perms: d.Perms, Sealer: d.Sealer,
		Audit: d.Audit, Notifier: d.Notifier, Log: d.Log, Catalog: d.Shell.Catalog(), Regions: d.Regions, Location: d.Location},
		auth.ServiceOptions{PasswordParams: params, WaiveAdminTOTP: d.Config.Demo, TOTPIssuer: "Sodamolek " + d.Regions.Name})
	d.Shell.SetAuthenticator(d.Auth)
	return nil
}
