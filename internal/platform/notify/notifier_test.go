package notify_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/platform/jobs"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// recorder is a Sender that records messages and fails while told to.
type recorder struct {
	mu       sync.Mutex
	sent     []notify.Message
	failures int // the next n sends fail
	err      error
}

func (r *recorder) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures > 0 {
		r.failures--
		return r.err
	}
	r.sent = append(r.sent, m)
	return nil
}

func setup(t *testing.T, s notify.Sender) (*notify.Notifier, *jobs.Queue, *clock.Manual, *database.DB) {
	t.Helper()
	db := dbtest.New(t, jobs.Migrations)
	clk := clock.NewManual(sentAt)
	logger := slog.New(slog.DiscardHandler)
	q := jobs.New(db, clk, logger, jobs.Options{})
	return notify.NewNotifier(q, s, logger), q, clk, db
}

func runDue(t *testing.T, q *jobs.Queue) int {
	t.Helper()
	n, err := q.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func job(t *testing.T, q *jobs.Queue, id int64) *jobs.Job {
	t.Helper()
	j, err := q.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestNotifyEnqueuesAJobThatSends(t *testing.T) {
	rec := &recorder{}
	n, q, _, _ := setup(t, rec)
	m := sms()
	m.ID = ""
	id, err := n.Notify(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.sent) != 0 {
		t.Fatal("Notify sent before any worker ran")
	}
	if j := job(t, q, id); j.Kind != notify.KindSend || j.MaxAttempts != 8 {
		t.Fatalf("job = %+v", j)
	}
	if ran := runDue(t, q); ran != 1 {
		t.Fatalf("ran %d jobs", ran)
	}
	if len(rec.sent) != 1 {
		t.Fatalf("sent %d", len(rec.sent))
	}
	got := rec.sent[0]
	if got.To != m.To || got.Body != m.Body || got.Tag != "otp" || got.Locale != "id" || len(got.ID) != 32 {
		t.Fatalf("sent %+v", got)
	}
	if j := job(t, q, id); j.State != jobs.StateSucceeded {
		t.Fatalf("job = %+v", j)
	}
}

func TestNotifyTxSendsOnlyWhenTheTransactionCommits(t *testing.T) {
	rec := &recorder{}
	n, q, _, db := setup(t, rec)
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			m := email()
			m.Body = fmt.Sprint("commit=", commit)
			if _, err := n.NotifyTx(ctx, tx, m); err != nil {
				return err
			}
			if !commit {
				return errors.New("status change rolled back")
			}
			return nil
		})
		if (err == nil) != commit {
			t.Fatal(err)
		}
	}
	runDue(t, q)
	if len(rec.sent) != 1 || rec.sent[0].Body != "commit=true" {
		t.Fatalf("sent %+v", rec.sent)
	}
}

func TestNotifyRefusesMessagesThatCanNeverBeSent(t *testing.T) {
	n, q, _, _ := setup(t, &recorder{})
	if _, err := n.Notify(context.Background(), notify.Message{Channel: "fax", To: "1", Body: "x"}); err == nil {
		t.Fatal("accepted an unknown channel")
	}
	if all, _ := q.List(context.Background(), jobs.Filter{}); len(all) != 0 {
		t.Fatalf("jobs were created: %+v", all)
	}
}

func TestFailingSenderIsRetriedByTheQueue(t *testing.T) {
	rec := &recorder{failures: 2, err: errors.New("gateway refused +6281234567890: quota exceeded")}
	n, q, clk, _ := setup(t, rec)
	id, err := n.Notify(context.Background(), sms())
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 2; attempt++ {
		runDue(t, q)
		j := job(t, q, id)
		if j.State != jobs.StateAvailable || j.Attempt != attempt || !j.RunAt.After(clk.Now()) {
			t.Fatalf("after failure %d: %+v", attempt, j)
		}
		// The recipient is masked in what administrators and logs see.
		if j.LastError != "gateway refused **********7890: quota exceeded" {
			t.Fatalf("last_error = %q", j.LastError)
		}
		clk.Set(j.RunAt)
	}
	runDue(t, q)
	if j := job(t, q, id); j.State != jobs.StateSucceeded || j.Attempt != 3 || len(rec.sent) != 1 {
		t.Fatalf("after recovery: %+v, sent %d", j, len(rec.sent))
	}
}

func TestPermanentSenderErrorFailsAtOnce(t *testing.T) {
	rec := &recorder{failures: 1, err: jobs.Permanent(errors.New("550 no such mailbox yohana@example.org"))}
	n, q, _, _ := setup(t, rec)
	m := email()
	m.To = "yohana@example.org"
	id, _ := n.Notify(context.Background(), m)
	runDue(t, q)
	j := job(t, q, id)
	if j.State != jobs.StateFailed || j.Attempt != 1 || strings.Contains(j.LastError, "yohana@") {
		t.Fatalf("job = %+v", j)
	}
}

// TestNotifyThroughWebhookEndToEnd runs the production path: configuration
// → router → job → signed POST, with a gateway that is down at first.
func TestNotifyThroughWebhookEndToEnd(t *testing.T) {
	g := startGateway(t)
	g.setStatus(http.StatusServiceUnavailable)
	router, err := notify.NewFromConfig(notify.Config{Kind: "webhook", WebhookURL: g.URL + "/send", WebhookSecret: secret}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	n, q, clk, _ := setup(t, router)
	m := sms()
	m.ID = ""
	id, err := n.Notify(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	runDue(t, q)
	j := job(t, q, id)
	if j.State != jobs.StateAvailable || !strings.Contains(j.LastError, "503") {
		t.Fatalf("after the gateway failed: %+v", j)
	}
	g.setStatus(http.StatusOK)
	clk.Advance(time.Hour)
	runDue(t, q)
	if j := job(t, q, id); j.State != jobs.StateSucceeded {
		t.Fatalf("after the gateway recovered: %+v", j)
	}
	got, headers := g.received()
	if len(got) != 1 || got[0]["body"] != m.Body || got[0]["to"] != m.To {
		t.Fatalf("gateway got %+v", got)
	}
	// The key the gateway saw is the one stored with the job, the same on
	// every attempt.
	var stored notify.Message
	if err := j.Decode(&stored); err != nil {
		t.Fatal(err)
	}
	if stored.ID == "" || headers[0].Get("Idempotency-Key") != stored.ID || got[0]["id"] != stored.ID {
		t.Fatalf("idempotency key %q, stored %q", headers[0].Get("Idempotency-Key"), stored.ID)
	}
}
