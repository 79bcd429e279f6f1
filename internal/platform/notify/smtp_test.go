package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// smtpServer is a minimal SMTP server on 127.0.0.1 for tests: EHLO/HELO,
// optional STARTTLS and AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	ln       net.Listener
	tls      *tls.Config // offer STARTTLS when set
	auth     bool        // offer AUTH PLAIN
	rcptCode int         // reply to RCPT TO (default 250)

	mu   sync.Mutex
	got  []delivery
	wg   sync.WaitGroup
	errs []error
}

// delivery is what the server saw of one message.
type delivery struct {
	helo       string
	from       string
	to         []string
	data       []byte
	tls        bool
	user, pass string
}

func startSMTP(t *testing.T, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, rcptCode: 250}
	if configure != nil {
		configure(s)
	}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
		for _, err := range s.errs {
			t.Errorf("smtp server: %v", err)
		}
	})
	return s
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

func (s *smtpServer) deliveries() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.got...)
}

func (s *smtpServer) fail(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
}

func (s *smtpServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(conn)
	reply := func(format string, args ...any) { _ = tp.PrintfLine(format, args...) }
	reply("220 mail.test ESMTP")
	var d delivery
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			d.helo = arg
			lines := []string{"mail.test greets " + arg}
			if s.tls != nil && !d.tls {
				lines = append(lines, "STARTTLS")
			}
			if s.auth {
				lines = append(lines, "AUTH PLAIN")
			}
			lines = append(lines, "8BITMIME")
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				reply("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.tls == nil {
				reply("502 not offered")
				continue
			}
			reply("220 ready to start TLS")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return // a client that does not trust us hangs up here
			}
			conn = tc
			tp = textproto.NewConn(tc)
			d = delivery{tls: true}
		case "AUTH":
			mech, initial, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(initial)
			parts := strings.Split(string(raw), "\x00")
			if mech != "PLAIN" || err != nil || len(parts) != 3 {
				reply("501 bad AUTH")
				continue
			}
			d.user, d.pass = parts[1], parts[2]
			reply("235 2.7.0 authenticated")
		case "MAIL":
			d.from = strings.TrimSuffix(strings.TrimPrefix(arg, "FROM:<"), ">")
			if i := strings.Index(d.from, ">"); i >= 0 { // BODY=8BITMIME after the address
				d.from = d.from[:i]
			}
			reply("250 2.1.0 ok")
		case "RCPT":
			to := strings.TrimSuffix(strings.TrimPrefix(arg, "TO:<"), ">")
			if s.rcptCode != 250 {
				reply("%d 5.1.1 <%s>: recipient address rejected", s.rcptCode, to)
				continue
			}
			d.to = append(d.to, to)
			reply("250 2.1.5 ok")
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			data, err := tp.ReadDotBytes()
			if err != nil {
				s.fail(err)
				return
			}
			d.data = data
			s.mu.Lock()
			s.got = append(s.got, d)
			s.mu.Unlock()
			reply("250 2.0.0 queued")
			d = delivery{tls: d.tls, user: d.user, pass: d.pass, helo: d.helo}
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mail.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

var sentAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("WITA", 8*3600))

func email() notify.Message {
	return notify.Message{
		Channel: notify.ChannelEmail,
		To:      "Yohana Ndolu <yohana@example.org>",
		Subject: "Laporan #2041: selesai ✓ — Kelurahan Oebobo",
		Body: "Halo Yohana,\n\nLaporan Anda tentang lampu jalan di Jl. El Tari sudah selesai ditangani. " +
			"Terima kasih atas partisipasi Anda — Pemerintah Kota Kupang.\n" +
			"Baris yang sangat panjang: " + strings.Repeat("é", 120) + "\n" +
			".titik di awal baris\nKode: 493817 = 100% benar\n",
		Locale: "id",
		Tag:    "report_status",
		ID:     "msg-7f3a",
	}
}

func TestSMTPSenderDeliversUTF8WithProperHeaders(t *testing.T) {
	srv := startSMTP(t, nil)
	s := &notify.SMTPSender{
		Addr:      srv.addr(),
		From:      "Pemerintah Kota Kupang <noreply@kupangkota.go.id>",
		Clock:     clock.NewManual(sentAt),
		LocalName: "sodamolek.test",
	}
	m := email()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.deliveries()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	d := got[0]
	if d.helo != "sodamolek.test" || d.from != "noreply@kupangkota.go.id" || len(d.to) != 1 || d.to[0] != "yohana@example.org" {
		t.Fatalf("envelope: helo %q from %q to %v", d.helo, d.from, d.to)
	}
	for _, b := range d.data {
		if b >= 0x80 {
			t.Fatal("the message is not 7-bit clean")
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(d.data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Pemerintah Kota Kupang" || from[0].Address != "noreply@kupangkota.go.id" {
		t.Errorf("From = %v, %v", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "yohana@example.org" || to[0].Name != "Yohana Ndolu" {
		t.Errorf("To = %v, %v", to, err)
	}
	date, err := h.Date()
	if err != nil || !date.Equal(sentAt) {
		t.Errorf("Date = %v, %v; want %v", date, err, sentAt)
	}
	want := map[string]string{
		"Message-Id":                "<msg-7f3a@kupangkota.go.id>",
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Content-Language":          "id",
		"Auto-Submitted":            "auto-generated",
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if len(line) > 78 {
			t.Errorf("body line of %d characters: %q", len(line), line)
		}
	}
	body, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	// ReadDotBytes hands back LF line ends; quoted-printable hard breaks
	// decode to what was sent.
	if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != m.Body {
		t.Errorf("body = %q\nwant   %q", got, m.Body)
	}
}

func TestSMTPSenderUpgradesWithSTARTTLSAndAuthenticates(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	srv := startSMTP(t, func(s *smtpServer) { s.tls = serverTLS; s.auth = true })
	s := &notify.SMTPSender{
		Addr: srv.addr(), From: "noreply@kupangkota.go.id",
		Username: "sodamolek", Password: "rahasia-relay",
		TLSConfig: clientTLS,
	}
	if err := s.Send(context.Background(), email()); err != nil {
		t.Fatal(err)
	}
	got := srv.deliveries()
	if len(got) != 1 || !got[0].tls || got[0].user != "sodamolek" || got[0].pass != "rahasia-relay" {
		t.Fatalf("deliveries = %+v", got)
	}
}

func TestSMTPSenderRefusesUntrustedTLS(t *testing.T) {
	serverTLS, _ := selfSigned(t)
	srv := startSMTP(t, func(s *smtpServer) { s.tls = serverTLS })
	s := &notify.SMTPSender{Addr: srv.addr(), From: "noreply@kupangkota.go.id"}
	if err := s.Send(context.Background(), email()); err == nil {
		t.Fatal("sent over TLS with a certificate nobody trusts")
	}
	if len(srv.deliveries()) != 0 {
		t.Fatal("message delivered")
	}
}

func TestSMTPRejectedRecipientIsPermanent(t *testing.T) {
	srv := startSMTP(t, func(s *smtpServer) { s.rcptCode = 550 })
	s := &notify.SMTPSender{Addr: srv.addr(), From: "noreply@kupangkota.go.id"}
	err := s.Send(context.Background(), email())
	if err == nil || !jobs.IsPermanent(err) {
		t.Fatalf("550 gave %v, want a permanent error", err)
	}
}

func TestSMTPSubjectCannotInjectHeaders(t *testing.T) {
	srv := startSMTP(t, nil)
	s := &notify.SMTPSender{Addr: srv.addr(), From: "noreply@kupangkota.go.id"}
	m := email()
	m.Subject = "Halo\r\nBcc: attacker@example.com"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(srv.deliveries()[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("Subject") != "Halo Bcc: attacker@example.com" {
		t.Fatalf("headers: %v", msg.Header)
	}
}

func TestSMTPSenderOnlySendsEmail(t *testing.T) {
	s := &notify.SMTPSender{Addr: "127.0.0.1:1", From: "noreply@kupangkota.go.id"}
	err := s.Send(context.Background(), notify.Message{Channel: notify.ChannelSMS, To: "+6281234567890", Body: "x"})
	if !jobs.IsPermanent(err) {
		t.Fatalf("SMS through SMTP: %v", err)
	}
}

func TestSMTPSenderGivesUpAtTheTimeout(t *testing.T) {
	// A server that accepts and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	s := &notify.SMTPSender{Addr: ln.Addr().String(), From: "noreply@kupangkota.go.id", Timeout: 50 * time.Millisecond}
	err = s.Send(context.Background(), email())
	if err == nil || jobs.IsPermanent(err) {
		t.Fatalf("silent server: %v, want a retryable error", err)
	}
}
