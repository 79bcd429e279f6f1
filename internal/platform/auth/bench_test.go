package auth_test

import (
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// BenchmarkSessionPrincipal is the per-request cost of identifying a web
// session and authorising an action, on a warm cache (the usual case: a
// page and its follow-up requests within the cache TTL). Target: ≤ 50 µs.
//
//	go test -run X -bench SessionPrincipal -benchmem ./internal/platform/auth/
func BenchmarkSessionPrincipal(b *testing.B) {
	e := newEnv(b)
	e.staff("bench", "dlhk", "officer")
	sess, err := e.svc.SignIn(e.ctx, "bench", "bench-password", "", client)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := e.svc.SessionPrincipal(e.ctx, sess.Token)
		if err != nil || p == nil || !p.Can("reports.handle", "dlhk", nil) {
			b.Fatal("lookup failed")
		}
	}
}

// BenchmarkSessionPrincipalUncached is the same lookup when the cache does
// not help (first request, or after the TTL): three indexed reads.
func BenchmarkSessionPrincipalUncached(b *testing.B) {
	e := newEnv(b)
	e.staff("bench", "dlhk", "officer")
	svc := e.service(auth.ServiceOptions{CacheTTL: time.Nanosecond})
	sess, err := svc.SignIn(e.ctx, "bench", "bench-password", "", client)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		// Each step of the manual clock ages the entry past its TTL.
		e.clock.Advance(time.Nanosecond)
		p, err := svc.SessionPrincipal(e.ctx, sess.Token)
		if err != nil || p == nil || !p.Can("reports.handle", "dlhk", nil) {
			b.Fatal("lookup failed")
		}
	}
}

// BenchmarkBearerAPIKey is an integration's API key lookup, warm.
func BenchmarkBearerAPIKey(b *testing.B) {
	e := newEnv(b)
	key, _, err := e.svc.CreateAPIKey(e.ctx, nil, "bench", []string{"open311"})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := e.svc.BearerPrincipal(e.ctx, key)
		if err != nil || p == nil || !p.HasKeyScope("open311") {
			b.Fatal("lookup failed")
		}
	}
}
