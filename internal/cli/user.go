package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/identity"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
)

func init() {
	Register(Command{Name: "user add", Summary: "create a staff account (the password is read from stdin)", Run: runUserAdd})
}

// repeatedFlag collects a flag given several times (--role a --role b).
type repeatedFlag []string

func (r *repeatedFlag) String() string { return strings.Join(*r, ",") }

func (r *repeatedFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*r = append(*r, part)
		}
	}
	return nil
}

// runUserAdd is "sodamolek user add --username U --unit CODE --role R
// [--role R2]". The password comes from the first line of stdin, so it
// never appears in the process list or the shell history:
//
//	printf '%s\n' "$PASSWORD" | sodamolek user add --username budi --unit dlhk --role officer
func runUserAdd(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "user add", config.Storage)
	username := f.String("username", "", "login name: lower-case letters, digits, '.', '_' or '-'")
	unit := f.String("unit", "", "code of the unit the account belongs to, e.g. dlhk or pemkot")
	name := f.String("name", "", "full name (default: the username)")
	email := f.String("email", "", "e-mail address (optional)")
	var roles repeatedFlag
	f.Var(&roles, "role", "role to grant; repeat for several (admin, unit_admin, officer, supervisor, executive, health_staff, enumerator, employee, taxpayer)")
	if err := f.Parse(args); err != nil {
		return err
	}
	switch {
	case *username == "":
		return errors.New("--username is required")
	case *unit == "":
		return errors.New("--unit is required")
	case len(roles) == 0:
		return errors.New("--role is required")
	}
	password, err := readSecretLine(env, "Password: ")
	if err != nil {
		return err
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
	u, err := svc.CreateStaff(ctx, nil, auth.NewStaff{Username: *username, Name: *name, Email: *email, UnitCode: *unit,
		Password: password, Roles: roles})
	if err != nil {
		return explainFieldError(a, err)
	}
	fmt.Fprintf(env.Stdout, "created user %s (id %d) in unit %s with roles %s\n", u.Username, u.ID, u.UnitCode, strings.Join(u.Roles, ", "))
	return nil
}

// readSecretLine reads one line from stdin, prompting on stderr when a
// person is typing at a terminal.
func readSecretLine(env Env, prompt string) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(env.Stderr, prompt)
		}
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on stdin (pipe it in: printf '%s\\n' \"$PASSWORD\" | sodamolek user add …)")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// identityService is the platform's identity service. The identity
// module must be linked too (imported above): it declares the
// permissions and seeds the roles that accounts are given.
func identityService(a *app.App) (*auth.Service, error) {
	for _, m := range a.Modules {
		if _, ok := m.(*identity.Module); ok && a.Deps.Auth != nil {
			return a.Deps.Auth, nil
		}
	}
	return nil, errors.New("the identity module is not part of this build")
}

// explainFieldError turns the service's field errors into one English
// line naming the flag.
func explainFieldError(a *app.App, err error) error {
	fes := auth.FieldErrorsOf(err)
	if len(fes) == 0 {
		return err
	}
	cat := a.Deps.Shell.Catalog()
	var parts []string
	for _, fe := range fes {
		flag := strings.ReplaceAll(fe.Field, "_", "-")
		switch fe.Field {
		case "unit_code":
			flag = "unit"
		case "roles":
			flag = "role"
		case "scopes":
			flag = "scope"
		case "password":
			flag = "password (stdin)"
		}
		parts = append(parts, "--"+flag+": "+cat.T(i18n.English, fe.Code))
	}
	return errors.New(strings.Join(parts, "; "))
}
