package notify_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

func TestNewFromConfigRoutesChannels(t *testing.T) {
	smtpCfg := notify.Config{SMTPAddr: "mail.kupangkota.go.id:587", SMTPFrom: "noreply@kupangkota.go.id"}
	hook := notify.Config{WebhookURL: "https://gateway.example/send", WebhookSecret: secret}
	both := smtpCfg
	both.WebhookURL, both.WebhookSecret = hook.WebhookURL, hook.WebhookSecret

	type route map[string]string // channel → sender type
	cases := []struct {
		name string
		cfg  notify.Config
		kind string
		want route
	}{
		{"dev default", notify.Config{DevMode: true}, "", route{"sms": "log", "whatsapp": "log", "email": "log"}},
		{"log ignores transports", both, "log", route{"sms": "log", "whatsapp": "log", "email": "log"}},
		{"smtp only", smtpCfg, "smtp", route{"sms": "log", "whatsapp": "log", "email": "smtp"}},
		{"smtp with webhook", both, "smtp", route{"sms": "webhook", "whatsapp": "webhook", "email": "smtp"}},
		{"webhook only", hook, "webhook", route{"sms": "webhook", "whatsapp": "webhook", "email": "webhook"}},
		{"webhook with smtp", both, "webhook", route{"sms": "webhook", "whatsapp": "webhook", "email": "smtp"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Kind = c.kind
			r, err := notify.NewFromConfig(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			for ch, want := range c.want {
				var got string
				switch s := r.SenderFor(ch).(type) {
				case notify.LogSender:
					got = "log"
					if s.ShowBody != cfg.DevMode {
						t.Errorf("log sender ShowBody = %v in dev mode %v", s.ShowBody, cfg.DevMode)
					}
				case *notify.SMTPSender:
					got = "smtp"
				case *notify.WebhookSender:
					got = "webhook"
				}
				if got != want {
					t.Errorf("%s → %s, want %s", ch, got, want)
				}
			}
		})
	}
}

func TestNewFromConfigRefusesUnsafeSettings(t *testing.T) {
	for name, cfg := range map[string]notify.Config{
		"no kind outside development": {},
		"unknown kind":                {Kind: "carrier-pigeon", DevMode: true},
		"smtp without address":        {Kind: "smtp", SMTPFrom: "noreply@kupangkota.go.id"},
		"smtp without from":           {Kind: "smtp", SMTPAddr: "mail:25"},
		"smtp password without user":  {Kind: "smtp", SMTPAddr: "mail:25", SMTPFrom: "a@b.c", SMTPPassword: "x"},
		"webhook without secret":      {Kind: "webhook", WebhookURL: "https://gateway.example/send"},
		"webhook short secret":        {Kind: "webhook", WebhookURL: "https://gateway.example/send", WebhookSecret: "short"},
		"webhook plain http":          {Kind: "webhook", WebhookURL: "http://gateway.example/send", WebhookSecret: secret},
		"webhook relative":            {Kind: "webhook", WebhookURL: "/send", WebhookSecret: secret},
		"bad webhook next to smtp":    {Kind: "smtp", SMTPAddr: "mail:25", SMTPFrom: "a@b.c", WebhookURL: "ftp://x", WebhookSecret: secret},
	} {
		if _, err := notify.NewFromConfig(cfg, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := notify.NewFromConfig(notify.Config{Kind: "webhook", WebhookURL: "http://127.0.0.1:9000/send", WebhookSecret: secret}, nil); err != nil {
		t.Errorf("http to loopback refused: %v", err)
	}
}

func TestLogSenderMasksRecipientAndShowsBodyOnlyInDevMode(t *testing.T) {
	for _, dev := range []bool{true, false} {
		var buf bytes.Buffer
		s := notify.LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil)), ShowBody: dev}
		if err := s.Send(context.Background(), sms()); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "+6281234567890") || !strings.Contains(out, "**********7890") {
			t.Errorf("dev=%v: recipient not masked: %s", dev, out)
		}
		if strings.Contains(out, "493817") != dev {
			t.Errorf("dev=%v: body shown = %v: %s", dev, !dev, out)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"081234567890":        "********7890",
		"budi@example.org":    "************.org",
		"1234":                "****",
		"":                    "",
		"Ñusa Tenggara Tîmur": "***************îmur",
	} {
		if got := notify.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRouterWithoutFallbackRefusesUnroutedChannels(t *testing.T) {
	r := notify.NewRouter(nil)
	r.Handle(notify.ChannelEmail, notify.LogSender{Logger: slog.New(slog.DiscardHandler)})
	if err := r.Send(context.Background(), sms()); err == nil {
		t.Fatal("unrouted channel sent")
	}
	if err := r.Send(context.Background(), email()); err != nil {
		t.Fatal(err)
	}
}

func TestMessageValidation(t *testing.T) {
	bad := []notify.Message{
		{Channel: "pager", To: "1", Body: "x"},
		{Channel: "sms", To: " ", Body: "x"},
		{Channel: "sms", To: "+62812", Body: ""},
		{Channel: "sms", To: "+62812\r\nX: y", Body: "x"},
		{Channel: "email", To: "not an address", Body: "x"},
		{Channel: "sms", To: "+62812", Body: "\xff"},
	}
	for _, m := range bad {
		if err := m.Validate(); err == nil {
			t.Errorf("%+v validated", m)
		}
	}
	if err := email().Validate(); err != nil {
		t.Fatal(err)
	}
}
