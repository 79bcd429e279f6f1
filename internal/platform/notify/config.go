package notify

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
)

// Config selects and sets up the senders; the config package fills it
// from the environment.
type Config struct {
	// Kind names the transport that must be configured:
	//   "log"     nothing is delivered; messages go to the log;
	//   "smtp"    e-mail goes through SMTPAddr; SMS and WhatsApp go to the
	//             webhook if WebhookURL is set, else to the log;
	//   "webhook" every channel goes to WebhookURL, except e-mail, which
	//             goes through SMTP if SMTPAddr is set.
	// Empty means "log" in development mode and is an error otherwise, so
	// that production never silently runs without delivery.
	Kind string

	SMTPAddr     string // host:port; port 465 means TLS from the start
	SMTPUser     string
	SMTPPassword string
	SMTPFrom     string // "Pemerintah Kota Kupang <noreply@kupangkota.go.id>"

	WebhookURL    string // https, or http to a loopback address only
	WebhookSecret string // at least 16 characters

	// DevMode makes the log sender write message bodies, so that a
	// developer can read one-time codes from the log. Never in production.
	DevMode bool
}

// NewFromConfig builds the Router described by cfg. The log sender is the
// fallback for channels without a transport; it logs bodies only in
// development mode.
func NewFromConfig(cfg Config, logger *slog.Logger) (*Router, error) {
	if logger == nil {
		logger = slog.Default()
	}
	logSender := LogSender{Logger: logger.With("component", "notify"), ShowBody: cfg.DevMode}
	r := NewRouter(logSender)

	kind := cfg.Kind
	if kind == "" {
		if !cfg.DevMode {
			return nil, errors.New(`notify: no notification sender configured: choose "smtp" or "webhook" ("log" delivers nothing)`)
		}
		kind = "log"
	}
	var smtpSender *SMTPSender
	var webhook *WebhookSender
	var err error
	switch kind {
	case "log":
		return r, nil
	case "smtp":
		if smtpSender, err = smtpFromConfig(cfg); err != nil {
			return nil, err
		}
		if cfg.WebhookURL != "" {
			if webhook, err = webhookFromConfig(cfg); err != nil {
				return nil, err
			}
		}
	case "webhook":
		if webhook, err = webhookFromConfig(cfg); err != nil {
			return nil, err
		}
		if cfg.SMTPAddr != "" {
			if smtpSender, err = smtpFromConfig(cfg); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf(`notify: sender kind %q is not "log", "smtp" or "webhook"`, cfg.Kind)
	}
	if webhook != nil {
		for _, ch := range Channels {
			r.Handle(ch, webhook)
		}
	}
	if smtpSender != nil {
		r.Handle(ChannelEmail, smtpSender)
	}
	return r, nil
}

func smtpFromConfig(cfg Config) (*SMTPSender, error) {
	if _, _, err := net.SplitHostPort(cfg.SMTPAddr); err != nil {
		return nil, fmt.Errorf("notify: SMTP address %q is not host:port", cfg.SMTPAddr)
	}
	if _, err := mail.ParseAddress(cfg.SMTPFrom); err != nil {
		return nil, fmt.Errorf("notify: SMTP From %q is not an address: %v", cfg.SMTPFrom, err)
	}
	if cfg.SMTPPassword != "" && cfg.SMTPUser == "" {
		return nil, errors.New("notify: SMTP password given without a user")
	}
	return &SMTPSender{Addr: cfg.SMTPAddr, Username: cfg.SMTPUser, Password: cfg.SMTPPassword, From: cfg.SMTPFrom}, nil
}

func webhookFromConfig(cfg Config) (*WebhookSender, error) {
	u, err := url.Parse(cfg.WebhookURL)
	if err != nil || u.Host == "" {
		return nil, errors.New("notify: webhook URL is not an absolute URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		// A relay on the same machine; nothing crosses the network.
	default:
		return nil, errors.New("notify: webhook URL must be https (http only to a loopback address): messages carry login codes")
	}
	if len(cfg.WebhookSecret) < 16 {
		return nil, errors.New("notify: webhook secret must be at least 16 characters")
	}
	return &WebhookSender{URL: cfg.WebhookURL, Secret: cfg.WebhookSecret}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
