package notify

import (
	"context"
	"fmt"
)

// Router sends each message with the sender configured for its channel
// (say e-mail through SMTP, SMS and WhatsApp through a gateway webhook) and
// everything else with the fallback, normally a LogSender. Configure it
// with Handle before sharing it; sending is safe from many goroutines.
type Router struct {
	routes   map[string]Sender
	fallback Sender
}

// NewRouter makes a Router whose unrouted channels go to fallback; a nil
// fallback makes them an error.
func NewRouter(fallback Sender) *Router {
	return &Router{routes: map[string]Sender{}, fallback: fallback}
}

// Handle routes a channel to s.
func (r *Router) Handle(channel string, s Sender) { r.routes[channel] = s }

// SenderFor returns the sender a message on channel goes to (nil if none).
func (r *Router) SenderFor(channel string) Sender {
	if s, ok := r.routes[channel]; ok {
		return s
	}
	return r.fallback
}

// Send delivers m with its channel's sender.
func (r *Router) Send(ctx context.Context, m Message) error {
	s := r.SenderFor(m.Channel)
	if s == nil {
		return fmt.Errorf("notify: no sender for channel %q", m.Channel)
	}
	return s.Send(ctx, m)
}
