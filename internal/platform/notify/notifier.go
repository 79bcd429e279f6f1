package notify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/jobs"
)

// KindSend is the job kind that delivers one Message.
const KindSend = "notify.send"

// Delivery policy for notify.send jobs: with the queue's default backoff
// (10s doubling, capped at 1h) eight attempts span about twenty minutes,
// long enough to ride out a gateway restart and short enough that a late
// SMS is still about something current.
const (
	sendAttempts = 8
	sendTimeout  = time.Minute
)

// Notifier sends messages through the job queue: Notify only records the
// message, and a worker delivers it with the Sender, retrying on failure.
type Notifier struct {
	q      *jobs.Queue
	sender Sender
	log    *slog.Logger
}

// NewNotifier makes a Notifier and registers the notify.send handler on q,
// so that any process with a Notifier can also deliver. Make one per Queue:
// registering the kind twice panics.
func NewNotifier(q *jobs.Queue, s Sender, logger *slog.Logger) *Notifier {
	if logger == nil {
		logger = slog.Default()
	}
	n := &Notifier{q: q, sender: s, log: logger.With("component", "notify")}
	q.Register(KindSend, jobs.Decoded(n.send), jobs.WithMaxAttempts(sendAttempts), jobs.WithTimeout(sendTimeout))
	return n
}

// Notify enqueues m for delivery and returns the job's id. A message that
// can never be sent (see Message.Validate) is refused here. opts are
// passed to the queue, e.g. jobs.UniqueKey to send one code per request.
func (n *Notifier) Notify(ctx context.Context, m Message, opts ...jobs.EnqueueOption) (int64, error) {
	m, err := prepare(m)
	if err != nil {
		return 0, err
	}
	return n.q.Enqueue(ctx, KindSend, m, opts...)
}

// NotifyTx enqueues m inside the caller's transaction: the message goes
// out if and only if the transaction commits (a status-change
// notification is never sent for a change that was rolled back).
func (n *Notifier) NotifyTx(ctx context.Context, tx *sql.Tx, m Message, opts ...jobs.EnqueueOption) (int64, error) {
	m, err := prepare(m)
	if err != nil {
		return 0, err
	}
	return n.q.EnqueueTx(ctx, tx, KindSend, m, opts...)
}

// prepare validates m and gives it the ID its retries will share.
func prepare(m Message) (Message, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	if m.ID == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		m.ID = hex.EncodeToString(b)
	}
	return m, nil
}

// send is the notify.send handler.
func (n *Notifier) send(ctx context.Context, j *jobs.Job, m Message) error {
	if err := m.Validate(); err != nil {
		return jobs.Permanent(err)
	}
	if err := n.sender.Send(ctx, m); err != nil {
		return maskRecipient(err, m.To)
	}
	n.log.InfoContext(ctx, "notify: sent", "channel", m.Channel, "tag", m.Tag, "to", Mask(m.To), "job", j.ID, "attempt", j.Attempt)
	return nil
}

// maskRecipient hides the recipient in a sender's error, which becomes a
// log line and the job's last_error: SMTP servers in particular quote the
// address they refuse.
func maskRecipient(err error, to string) error {
	if to == "" || !strings.Contains(err.Error(), to) {
		return err
	}
	masked := errors.New(strings.ReplaceAll(err.Error(), to, Mask(to)))
	if jobs.IsPermanent(err) {
		return jobs.Permanent(masked)
	}
	return masked
}
