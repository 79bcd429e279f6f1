package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"regexp"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// SMTPSender sends e-mail through an SMTP relay (the city's mail server or
// a provider) with net/smtp. It upgrades to TLS with STARTTLS whenever the
// server offers it, or speaks TLS from the start on port 465.
type SMTPSender struct {
	// Addr is the relay's host:port.
	Addr string
	// Username and Password enable AUTH PLAIN; net/smtp sends them only
	// over TLS (or to localhost), never in clear text to a remote host.
	Username, Password string
	// From is the sender, e.g. "Pemerintah Kota Kupang <noreply@kupangkota.go.id>".
	From string
	// Timeout bounds the whole conversation (default 30s).
	Timeout time.Duration
	// TLSConfig is used for STARTTLS and port 465; nil means the system
	// roots. Its ServerName defaults to the host of Addr.
	TLSConfig *tls.Config
	// LocalName is sent with EHLO (default "localhost").
	LocalName string
	// Clock dates the messages (default: the system clock).
	Clock clock.Clock
}

// Send delivers one e-mail. Replies in the 5xx range (no such mailbox,
// authentication refused) are permanent: retrying the same message cannot
// succeed. Everything else, including 4xx, network errors and timeouts, is
// left to the job's retries.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	if m.Channel != ChannelEmail {
		return jobs.Permanent(fmt.Errorf("notify: the SMTP sender cannot send %q messages", m.Channel))
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return jobs.Permanent(fmt.Errorf("notify: SMTP From %q is not an address: %w", s.From, err))
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return jobs.Permanent(fmt.Errorf("notify: e-mail recipient %s is not an address", Mask(m.To)))
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return jobs.Permanent(fmt.Errorf("notify: SMTP address %q is not host:port", s.Addr))
	}
	msg, err := s.compose(from, to, m)
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := s.deliver(ctx, host, port, from.Address, to.Address, msg); err != nil {
		var reply *textproto.Error
		if errors.As(err, &reply) && reply.Code >= 500 {
			return jobs.Permanent(fmt.Errorf("notify: SMTP: %w", err))
		}
		return fmt.Errorf("notify: SMTP: %w", err)
	}
	return nil
}

func (s *SMTPSender) deliver(ctx context.Context, host, port, from, to string, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	// The deadline bounds every read and write; closing the connection
	// when ctx ends interrupts one in progress (net/smtp takes no context).
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	tlsConfig := s.tlsConfig(host)
	if port == "465" {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return err
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	localName := s.LocalName
	if localName == "" {
		localName = "localhost"
	}
	if err := c.Hello(localName); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok && port != "465" {
		if err := c.StartTLS(tlsConfig); err != nil {
			return err
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	// The relay has accepted the message once DATA is answered: a failed
	// QUIT must not turn into a retry that sends it twice.
	_ = c.Quit()
	return nil
}

func (s *SMTPSender) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		cfg = s.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// safeToken keeps Content-Language and Message-ID parts to characters that
// cannot end a header or break its syntax.
var safeToken = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// compose renders the message: RFC 5322 headers, then the body as UTF-8
// text in quoted-printable, which keeps every line short and 7-bit clean
// for relays that do not speak 8BITMIME.
func (s *SMTPSender) compose(from, to *mail.Address, m Message) ([]byte, error) {
	clk := s.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	id := m.ID
	if !safeToken.MatchString(id) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	// A subject is one line: a line break in it would start a new header.
	subject := strings.Join(strings.Fields(m.Subject), " ")

	var buf bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", clk.Now().Format(time.RFC1123Z))
	// The same ID on every retry lets a mailbox drop a duplicate.
	header("Message-ID", "<"+id+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	if safeToken.MatchString(m.Locale) {
		header("Content-Language", m.Locale)
	}
	// RFC 3834: out-of-office replies are not sent back to us.
	header("Auto-Submitted", "auto-generated")
	buf.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&buf)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
