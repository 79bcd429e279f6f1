package web

import (
	"math"
	"net/http"
	"sync"
	"time"
)

// Limit is a token-bucket rate limit keyed per caller (by default the
// client IP). It protects sign-in, one-time codes and public write
// endpoints from floods. Buckets live in this process: with several
// servers behind a load balancer each enforces its own share, which keeps
// the limit effective (an attacker gets at most N× the rate) while the
// correctness-critical counters — account lock-outs, OTP attempts — live
// in the database.
type Limit struct {
	Name  string
	Rate  float64 // tokens per second
	Burst float64
	Key   func(r *http.Request) string

	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimit allows burst requests at once and then perMinute per minute,
// per client IP.
func NewLimit(name string, perMinute, burst int) *Limit {
	return &Limit{Name: name, Rate: float64(perMinute) / 60, Burst: float64(burst), Key: ClientIP,
		buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes a token for the request's key; when none is left it
// reports how many seconds until one is.
func (l *Limit) Allow(r *http.Request) (bool, int) { return l.AllowKey(l.Key(r)) }

// AllowKey is Allow for an explicit key (e.g. an account or phone number).
func (l *Limit) AllowKey(key string) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.gc(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.Burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.Burst, b.tokens+now.Sub(b.last).Seconds()*l.Rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / l.Rate
	return false, int(math.Ceil(wait))
}

// gc drops full buckets now and then so the map stays small.
func (l *Limit) gc(now time.Time) {
	if now.Sub(l.sweep) < time.Minute {
		return
	}
	l.sweep = now
	full := time.Duration(l.Burst/l.Rate*float64(time.Second)) + time.Second
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}

// SetClock replaces the limiter's clock (tests).
func (l *Limit) SetClock(now func() time.Time) {
	l.mu.Lock()
	l.now = now
	l.mu.Unlock()
}
