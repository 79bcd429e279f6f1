package notify

import (
	"context"
	"log/slog"
)

// LogSender "delivers" a message by writing it to the log.
//
// With ShowBody set it logs the body too: in development and demos that is
// how a tester reads the one-time code that would have gone by SMS, which
// is why NewFromConfig sets it only in development mode. Never set it in
// production: the log would then hold live login codes. Without ShowBody
// the log records only that a message was not delivered (channel, tag,
// masked recipient), at warning level, since nobody received it.
type LogSender struct {
	Logger   *slog.Logger
	ShowBody bool
}

// Send writes the message to the log; it never fails.
func (s LogSender) Send(ctx context.Context, m Message) error {
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	attrs := []any{"channel", m.Channel, "to", Mask(m.To), "tag", m.Tag, "locale", m.Locale}
	if !s.ShowBody {
		logger.WarnContext(ctx, "notify: message not delivered: no sender for this channel, log only", attrs...)
		return nil
	}
	attrs = append(attrs, "subject", m.Subject, "body", m.Body)
	logger.InfoContext(ctx, "notify: message (development log sender, not delivered)", attrs...)
	return nil
}
