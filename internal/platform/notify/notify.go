// Package notify owns how Sodamolek reaches a person outside the web
// application: SMS, WhatsApp and e-mail messages (one-time codes, report
// status updates) behind one Sender interface, delivered from background
// jobs so that a slow or failing gateway never blocks a request and a
// failed delivery is retried.
//
// Senders: SMTPSender (e-mail), WebhookSender (a signed JSON POST to an
// SMS/WhatsApp gateway or any relay), LogSender (writes to the log; the
// development default) and Router, which picks one per channel.
// NewFromConfig builds the Router from configuration; Notifier enqueues
// messages as "notify.send" jobs and sends them from the job handler.
//
// Messages hold personal data (a phone number, an OTP). Recipients are
// masked in every log line, and bodies are logged only by a LogSender in
// development mode.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Channels.
const (
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
	ChannelEmail    = "email"
)

// Channels lists every channel a Message may name.
var Channels = []string{ChannelSMS, ChannelWhatsApp, ChannelEmail}

// Sender delivers a message now. An error means "not delivered"; the
// notify.send job retries it, unless the error is marked jobs.Permanent
// (the recipient or the message itself is wrong, so retrying cannot help).
// Errors end up in logs and in the job's last_error: senders must not put
// message bodies in them.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Message is one notification to one recipient. Its JSON form is the
// notify.send job payload and the webhook body.
type Message struct {
	Channel string `json:"channel"` // ChannelSMS, ChannelWhatsApp or ChannelEmail
	To      string `json:"to"`      // phone number (E.164) or e-mail address
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
	Locale  string `json:"locale,omitempty"` // e.g. "id", "en"
	Tag     string `json:"tag,omitempty"`    // what the message is for, e.g. "otp", "report_status"
	// ID identifies the message across retries, so that a receiver can
	// drop a duplicate when a retry follows a delivery whose answer was
	// lost. Notifier fills it in when empty.
	ID string `json:"id,omitempty"`
}

// Validate checks what every sender needs, so that a message that can
// never be sent is refused when it is enqueued rather than retried.
func (m Message) Validate() error {
	switch m.Channel {
	case ChannelSMS, ChannelWhatsApp, ChannelEmail:
	default:
		return fmt.Errorf("notify: unknown channel %q (want sms, whatsapp or email)", m.Channel)
	}
	if strings.TrimSpace(m.To) == "" {
		return errors.New("notify: message has no recipient")
	}
	if len(m.To) > 320 || strings.ContainsAny(m.To, "\r\n") {
		return errors.New("notify: recipient is not a phone number or an address")
	}
	if m.Body == "" {
		return errors.New("notify: message has no body")
	}
	if !utf8.ValidString(m.Body) || !utf8.ValidString(m.Subject) {
		return errors.New("notify: message is not valid UTF-8")
	}
	if m.Channel == ChannelEmail {
		if _, err := mail.ParseAddress(m.To); err != nil {
			return fmt.Errorf("notify: e-mail recipient %s is not an address", Mask(m.To))
		}
	}
	return nil
}

// Mask hides a recipient for logs and errors, keeping the last four
// characters so that a person can still tell two recipients apart:
// "081234567890" → "********7890". Recipients of four characters or fewer
// are hidden entirely.
func Mask(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}
