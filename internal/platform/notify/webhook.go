package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// SignatureHeader carries the webhook body's HMAC.
const SignatureHeader = "X-Sodamolek-Signature"

// WebhookSender POSTs each message as JSON to a gateway (an SMS or
// WhatsApp provider's adapter, or a relay the city runs):
//
//	{"channel":"sms","to":"+6281234567890","subject":"","body":"…","locale":"id","tag":"otp","id":"…"}
//
// The request carries X-Sodamolek-Signature: sha256=<hex HMAC-SHA256 of the
// exact body under the shared secret>, so the gateway can tell our requests
// from forged ones, and Idempotency-Key: <id>, the same on every retry of a
// message. Any answer other than 2xx is an error and the job retries it.
type WebhookSender struct {
	URL    string
	Secret string
	// Timeout bounds one request (default 15s).
	Timeout time.Duration
	// Client is optional; the default one does not follow redirects, so
	// a message is never re-posted to a host nobody configured.
	Client *http.Client
}

// webhookBody fixes the wire format independently of Message's JSON tags:
// every field is always present, as gateways written against the
// documented shape expect.
type webhookBody struct {
	Channel string `json:"channel"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Locale  string `json:"locale"`
	Tag     string `json:"tag"`
	ID      string `json:"id"`
}

// Send posts the message and waits for a 2xx answer.
func (w *WebhookSender) Send(ctx context.Context, m Message) error {
	if w.Secret == "" {
		return jobs.Permanent(errors.New("notify: webhook has no signing secret"))
	}
	body, err := json.Marshal(webhookBody(m))
	if err != nil {
		return err
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("notify: webhook URL: %w", unwrapURLError(err)))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Sodamolek-notify/1")
	req.Header.Set(SignatureHeader, Sign([]byte(w.Secret), body))
	if m.ID != "" {
		req.Header.Set("Idempotency-Key", m.ID)
	}
	client := w.Client
	if client == nil {
		client = defaultWebhookClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook POST: %w", unwrapURLError(err))
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; the answer's text is
	// not copied into the error, as a gateway may echo the message.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("notify: webhook answered %s", resp.Status)
	}
	return nil
}

var defaultWebhookClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// unwrapURLError drops the URL that net/http quotes in its errors: a
// gateway URL often carries an API key in its query string.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Sign returns the signature header value for body: "sha256=" followed by
// the hex HMAC-SHA256 of body under secret.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a signature header against body in constant
// time; gateways written in Go can use it, and it documents the scheme.
func VerifySignature(secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}
