package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestUserAddAndAPIKeyCreate(t *testing.T) {
	storage := []string{"--data", t.TempDir(), "--db", dbtest.URL(t), "--log-level", "error"}
	args := func(cmd ...string) []string { return append(cmd, storage...) }

	code, out, errOut := runCLI(t, "a-long-secret-password\n",
		args("user", "add", "--username", "Budi.DLHK", "--unit", "dlhk", "--role", "officer", "--role", "supervisor")...)
	if code != 0 || !strings.Contains(out, "created user budi.dlhk") || !strings.Contains(out, "officer, supervisor") {
		t.Fatalf("user add = %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "a-long-secret-password\n", args("user", "add", "--username", "budi.dlhk", "--unit", "dlhk", "--role", "officer")...)
	if code != 1 || !strings.Contains(errOut, "--username: This username is taken.") {
		t.Fatalf("duplicate = %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "short\n", args("user", "add", "--username", "sari", "--unit", "dlhk", "--role", "officer")...)
	if code != 1 || !strings.Contains(errOut, "at least 10 characters") {
		t.Fatalf("short password = %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", args("user", "add", "--username", "sari", "--unit", "dlhk", "--role", "officer")...)
	if code != 1 || !strings.Contains(errOut, "no password on stdin") {
		t.Fatalf("no password = %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "a-long-secret-password\n", args("user", "add", "--username", "sari", "--unit", "dlhk")...)
	if code != 1 || !strings.Contains(errOut, "--role is required") {
		t.Fatalf("no role = %d %q", code, errOut)
	}

	code, out, errOut = runCLI(t, "", args("apikey", "create", "--name", "LAPOR! Open311", "--scope", "open311")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 1 || !strings.HasPrefix(lines[0], auth.KeyPrefix) || !strings.Contains(errOut, "shown only this once") {
		t.Fatalf("apikey create = %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "", args("apikey", "create", "--name", "x", "--scope", "Not Valid")...)
	if code != 1 || !strings.Contains(errOut, "--scope: Key scopes are") {
		t.Fatalf("bad scope = %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "", args("apikey", "revoke", "--id", "1")...); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("apikey revoke = %d %q", code, out)
	}
	if code, _, errOut := runCLI(t, "", args("apikey", "revoke", "--id", "99")...); code != 1 || !strings.Contains(errOut, "no API key has id 99") {
		t.Fatalf("revoke unknown = %d %q", code, errOut)
	}
}
