package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/config"
)

func init() {
	Register(Command{Name: "apikey create", Summary: "create an API key for an integration and print it (shown once)", Run: runAPIKeyCreate})
	Register(Command{Name: "apikey revoke", Summary: "revoke an API key by id", Run: runAPIKeyRevoke})
}

// runAPIKeyCreate is "sodamolek apikey create --name N --scope S [--scope
// S2]". The key is the only line on stdout, so a script can capture it;
// only its hash is stored, so this is the one chance to copy it.
func runAPIKeyCreate(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "apikey create", config.Storage)
	name := f.String("name", "", "what the key is for, e.g. \"Open311 client of LAPOR!\"")
	var scopes repeatedFlag
	f.Var(&scopes, "scope", "scope the key carries; repeat for several (open311, fhir, pos, gateway, bank, …)")
	if err := f.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return errors.New("--name is required")
	}
	if len(scopes) == 0 {
		return errors.New("--scope is required")
	}
	a, err := OpenApp(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	svc, err := identityService(a)
	if err != nil {
		return err
	}
	plain, info, err := svc.CreateAPIKey(ctx, nil, *name, scopes)
	if err != nil {
		return explainFieldError(a, err)
	}
	fmt.Fprintln(env.Stdout, plain)
	fmt.Fprintf(env.Stderr, "API key %d (%s) created with scopes %s; it is shown only this once.\n", info.ID, info.Prefix, strings.Join(info.Scopes, ", "))
	return nil
}

// runAPIKeyRevoke is "sodamolek apikey revoke --id N".
func runAPIKeyRevoke(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "apikey revoke", config.Storage)
	id := f.Int64("id", 0, "id of the key (shown when it was created and on the admin page)")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *id <= 0 {
		return errors.New("--id is required")
	}
	a, err := OpenApp(ctx, f)
	if err != nil {
		return err
	}
	defer a.Close()
	svc, err := identityService(a)
	if err != nil {
		return err
	}
	if err := svc.RevokeAPIKey(ctx, nil, *id); errors.Is(err, auth.ErrNotFound) {
		return fmt.Errorf("no API key has id %d", *id)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "API key %d revoked\n", *id)
	return nil
}
