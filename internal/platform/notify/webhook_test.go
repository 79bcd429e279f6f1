package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

const secret = "kupang-gateway-shared-secret"

// gateway is an httptest server that checks signatures like a real
// gateway would and records what it accepted.
type gateway struct {
	*httptest.Server
	mu       sync.Mutex
	status   int
	accepted []map[string]string
	headers  []http.Header
	badSig   int
}

func startGateway(t *testing.T) *gateway {
	t.Helper()
	g := &gateway{status: http.StatusAccepted}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		defer g.mu.Unlock()
		if r.Method != http.MethodPost || !notify.VerifySignature([]byte(secret), body, r.Header.Get(notify.SignatureHeader)) {
			g.badSig++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if g.status/100 != 2 {
			http.Error(w, "upstream SMS provider unavailable for +6281234567890", g.status)
			return
		}
		var fields map[string]string
		if err := json.Unmarshal(body, &fields); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		g.accepted = append(g.accepted, fields)
		g.headers = append(g.headers, r.Header.Clone())
		w.WriteHeader(g.status)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) setStatus(code int) {
	g.mu.Lock()
	g.status = code
	g.mu.Unlock()
}

func (g *gateway) received() ([]map[string]string, []http.Header) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]string(nil), g.accepted...), append([]http.Header(nil), g.headers...)
}

func sms() notify.Message {
	return notify.Message{Channel: notify.ChannelSMS, To: "+6281234567890", Body: "Kode masuk Sodamolek: 493817", Locale: "id", Tag: "otp", ID: "c0ffee"}
}

func TestWebhookPostsSignedJSON(t *testing.T) {
	g := startGateway(t)
	w := &notify.WebhookSender{URL: g.URL + "/send", Secret: secret}
	if err := w.Send(context.Background(), sms()); err != nil {
		t.Fatal(err)
	}
	got, headers := g.received()
	if len(got) != 1 {
		t.Fatalf("gateway accepted %d messages", len(got))
	}
	want := map[string]string{"channel": "sms", "to": "+6281234567890", "subject": "", "body": "Kode masuk Sodamolek: 493817", "locale": "id", "tag": "otp", "id": "c0ffee"}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s = %q, want %q", k, got[0][k], v)
		}
	}
	if len(got[0]) != len(want) {
		t.Errorf("fields = %v", got[0])
	}
	if headers[0].Get("Idempotency-Key") != "c0ffee" || !strings.HasPrefix(headers[0].Get("Content-Type"), "application/json") {
		t.Errorf("headers = %v", headers[0])
	}
}

func TestWebhookWrongSecretIsRefusedByTheGateway(t *testing.T) {
	g := startGateway(t)
	w := &notify.WebhookSender{URL: g.URL, Secret: "not-the-shared-secret"}
	if err := w.Send(context.Background(), sms()); err == nil {
		t.Fatal("gateway accepted a bad signature")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.badSig != 1 {
		t.Fatalf("bad signatures seen: %d", g.badSig)
	}
}

func TestWebhookServerErrorIsAnErrorWithoutTheAnswerText(t *testing.T) {
	g := startGateway(t)
	g.setStatus(http.StatusInternalServerError)
	w := &notify.WebhookSender{URL: g.URL + "/send?api_key=s3cr3t", Secret: secret}
	err := w.Send(context.Background(), sms())
	if err == nil {
		t.Fatal("a 500 was taken as delivered")
	}
	if !strings.Contains(err.Error(), "500") || strings.Contains(err.Error(), "6281234567890") {
		t.Fatalf("error = %q: want the status, not the answer's text", err)
	}
	// Network errors do not quote the URL (its query may hold an API key).
	g.Close()
	err = w.Send(context.Background(), sms())
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error after the gateway went away = %v", err)
	}
}

func TestWebhookDoesNotFollowRedirects(t *testing.T) {
	g := startGateway(t)
	redirect := httptest.NewServer(http.RedirectHandler(g.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	w := &notify.WebhookSender{URL: redirect.URL, Secret: secret}
	if err := w.Send(context.Background(), sms()); err == nil {
		t.Fatal("a redirect was taken as delivered")
	}
	if got, _ := g.received(); len(got) != 0 {
		t.Fatal("the message followed the redirect")
	}
}

func TestSignatureScheme(t *testing.T) {
	body := []byte(`{"a":1}`)
	sig := notify.Sign([]byte("k"), body)
	// HMAC-SHA256 of the body under "k", computed with Python's hmac module.
	if want := "sha256=c3a92ff9e274cdcce27a58c15a78ec6dcbbdbd0038a87e7a11baef2028fd8bff"; sig != want {
		t.Fatalf("Sign = %s, want %s", sig, want)
	}
	if !notify.VerifySignature([]byte("k"), body, sig) {
		t.Fatal("a good signature does not verify")
	}
	if notify.VerifySignature([]byte("k"), []byte(`{"a":2}`), sig) || notify.VerifySignature([]byte("k2"), body, sig) ||
		notify.VerifySignature([]byte("k"), body, strings.TrimPrefix(sig, "sha256=")) {
		t.Fatal("a wrong body, key or header format verified")
	}
}
