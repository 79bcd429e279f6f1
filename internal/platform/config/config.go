// Package config owns Sodamolek's settings: command-line flags, each with
// a SODAMOLEK_* environment equivalent, and defaults that work with no
// configuration at all (SQLite in ./data, Kupang's region profile,
// notifications written to the log).
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything a server process needs to know.
type Config struct {
	Addr          string
	DataDir       string
	DatabaseURL   string
	Demo          bool
	BaseURL       string
	RegionProfile string
	TimeZone      string
	TileURL       string
	TileAttrib    string
	LogLevel      string
	LogFormat     string
	Workers       int
	TrustProxy    bool
	ShutdownGrace time.Duration

	NotifyKind    string
	SMTPAddr      string
	SMTPUser      string
	SMTPPassword  string
	SMTPFrom      string
	WebhookURL    string
	WebhookSecret string
}

// Group selects which flags a subcommand takes.
type Group int

const (
	// Storage: where the data lives (every subcommand).
	Storage Group = 1 << iota
	// Server: HTTP, logging, notifications, background work.
	Server
)

// Register defines the flags of the chosen groups on fs, writing into c.
func Register(fs *flag.FlagSet, c *Config, groups Group) {
	fs.StringVar(&c.DataDir, "data", "data", "data directory (SQLite database, uploads, keys)")
	fs.StringVar(&c.DatabaseURL, "db", "", "database URL: sqlite:///path/to/file.db or postgres://user@host/db (default: SQLite in the data directory)")
	fs.StringVar(&c.RegionProfile, "region-profile", "kupang", "region profile: a built-in name or a directory with the same files")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	if groups&Server == 0 {
		return
	}
	fs.StringVar(&c.Addr, "addr", "localhost:8080", "HTTP listen address HOST:PORT")
	fs.BoolVar(&c.Demo, "demo", false, "seed Kupang demo data into an empty database (demo accounts included)")
	fs.StringVar(&c.BaseURL, "base-url", "", "public URL of this site, for links in messages and QR codes (default http://ADDR)")
	fs.StringVar(&c.TimeZone, "timezone", "", "city time zone (default: the region profile's, Asia/Makassar for Kupang)")
	fs.StringVar(&c.TileURL, "tile-url", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "map tile URL template for Leaflet")
	fs.StringVar(&c.TileAttrib, "tile-attribution", "© OpenStreetMap contributors", "map tile attribution text")
	fs.IntVar(&c.Workers, "workers", 4, "background job workers in this process (0 disables job processing)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", false, "take the client IP from X-Forwarded-For (only behind a trusted load balancer)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", 20*time.Second, "how long in-flight requests and jobs may run after SIGTERM")
	fs.StringVar(&c.NotifyKind, "notify", "log", "notification sender: log, smtp or webhook")
	fs.StringVar(&c.SMTPAddr, "smtp-addr", "", "SMTP server HOST:PORT for e-mail")
	fs.StringVar(&c.SMTPUser, "smtp-user", "", "SMTP user name")
	fs.StringVar(&c.SMTPPassword, "smtp-password", "", "SMTP password (prefer the environment variable)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "", "sender address for e-mail")
	fs.StringVar(&c.WebhookURL, "webhook-url", "", "URL of the SMS/WhatsApp gateway webhook")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", "shared secret signing webhook calls (prefer the environment variable)")
}

// EnvName is the environment variable for a flag: --smtp-addr is
// SODAMOLEK_SMTP_ADDR.
func EnvName(flagName string) string {
	return "SODAMOLEK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse parses args, then fills every flag not given on the command line
// from its environment variable, then validates. Errors are one line,
// naming the flag or variable at fault.
func Parse(fs *flag.FlagSet, c *Config, args []string, getenv func(string) string) error {
	fs.SetOutput(discard{})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || envErr != nil {
			return
		}
		if v, ok := lookup(getenv, EnvName(f.Name)); ok {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %v", EnvName(f.Name), err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	return c.validate(fs)
}

func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func (c *Config) validate(fs *flag.FlagSet) error {
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || u.Scheme == "" {
			return errors.New("--db must be a URL such as sqlite:///var/lib/sodamolek/sodamolek.db or postgres://user@host:5432/sodamolek")
		}
		switch u.Scheme {
		case "sqlite", "sqlite3", "file", "postgres", "postgresql":
		default:
			return fmt.Errorf("--db scheme %q is not supported (use sqlite:// or postgres://)", u.Scheme)
		}
	}
	if c.DataDir == "" {
		return errors.New("--data must name a directory")
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format %q: use text or json", c.LogFormat)
	}
	if fs.Lookup("addr") == nil {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q must be HOST:PORT, e.g. localhost:8080 or :8080", c.Addr)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q must be an absolute http(s) URL", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.Workers < 0 {
		return errors.New("--workers cannot be negative")
	}
	switch c.NotifyKind {
	case "log":
	case "smtp":
		if c.SMTPAddr == "" || c.SMTPFrom == "" {
			return errors.New("--notify smtp needs --smtp-addr and --smtp-from")
		}
	case "webhook":
		if c.WebhookURL == "" {
			return errors.New("--notify webhook needs --webhook-url")
		}
	default:
		return fmt.Errorf("--notify %q: use log, smtp or webhook", c.NotifyKind)
	}
	return nil
}

// PublicURL is the base URL for absolute links.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Getenv is os.Getenv, named for injection in tests.
var Getenv = os.Getenv

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
