package config

import (
	"flag"
	"strings"
	"testing"
)

func parse(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	Register(fs, &c, Storage|Server)
	err := Parse(fs, &c, args, func(k string) string { return env[k] })
	return c, err
}

func TestDefaultsNeedNoConfiguration(t *testing.T) {
	c, err := parse(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8080" || c.DatabaseURL != "" || c.RegionProfile != "kupang" || c.NotifyKind != "log" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.PublicURL() != "http://localhost:8080" {
		t.Fatalf("public URL %q", c.PublicURL())
	}
}

func TestEnvironmentFillsFlagsNotGiven(t *testing.T) {
	env := map[string]string{"SODAMOLEK_ADDR": ":9090", "SODAMOLEK_DEMO": "true", "SODAMOLEK_SMTP_ADDR": "mail:25"}
	c, err := parse(t, []string{"--addr", "127.0.0.1:7000"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" {
		t.Errorf("flag must win over env, got %q", c.Addr)
	}
	if !c.Demo || c.SMTPAddr != "mail:25" {
		t.Errorf("env not applied: %+v", c)
	}
}

func TestBadInputIsOneClearLine(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--nope"}, nil, "flag provided but not defined: -nope"},
		{[]string{"--db", "mysql://x"}, nil, "--db scheme"},
		{[]string{"--db", "not a url"}, nil, "--db must be a URL"},
		{[]string{"--addr", "8080"}, nil, "--addr"},
		{[]string{"--base-url", "ftp://x"}, nil, "--base-url"},
		{nil, map[string]string{"SODAMOLEK_WORKERS": "many"}, "SODAMOLEK_WORKERS"},
		{[]string{"--notify", "smtp"}, nil, "--smtp-addr"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
		{[]string{"extra"}, nil, "unexpected argument"},
	}
	for _, tc := range cases {
		_, err := parse(t, tc.args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v %v: err = %v, want one line containing %q", tc.args, tc.env, err, tc.want)
		}
	}
}
