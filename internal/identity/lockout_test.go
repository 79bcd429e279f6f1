package identity

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

// principalOf is principalWith the test password of staff(username).
func (h *harness) principalOf(username string) *auth.Principal {
	h.t.Helper()
	return h.principalWith(username, username+"-password")
}

func TestLockoutAfterRepeatedFailuresAndUnlock(t *testing.T) {
	h := start(t)
	siti := h.staff("siti", "dlhk", "officer")
	h.staff("dlhk.admin", "dlhk", "unit_admin")
	wrong := url.Values{"username": {"siti"}, "password": {"not-her-password"}}

	b := h.browser()
	for i := 1; i <= 4; i++ {
		if resp, _ := b.postFrom("/masuk", "/masuk", wrong); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := b.postFrom("/masuk", "/masuk", wrong)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Coba lagi dalam 5 menit") {
		t.Fatalf("5th failure: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Locked: even the right password is refused, on the form and the API.
	resp, _ = b.postFrom("/masuk", "/masuk", url.Values{"username": {"siti"}, "password": {"siti-password"}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: %d", resp.StatusCode)
	}
	resp, body = h.browser().api("POST", "/api/v1/auth/login", "", `{"username":"siti","password":"siti-password"}`)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `"account_locked"`) || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("API while locked: %d %s", resp.StatusCode, body)
	}
	u, err := h.svc.GetUser(h.ctx(), nil, siti.ID)
	if err != nil || !u.LockedUntil.Equal(h.clock.Now().Add(5*time.Minute)) {
		t.Fatalf("LockedUntil = %v, %v", u.LockedUntil, err)
	}

	// A name without an account locks the same way: the lock-out does not
	// tell which accounts exist.
	g := h.browser()
	ghost := url.Values{"username": {"ghost"}, "password": {"whatever-it-is"}}
	var last int
	for range 5 {
		resp, _ := g.postFrom("/masuk", "/masuk", ghost)
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("unknown name after 5 failures: %d", last)
	}

	// The unit's administrator unlocks; an officer of another unit may not.
	h.staff("other.admin", "dinkes", "unit_admin")
	if err := h.svc.Unlock(h.ctx(), h.principalOf("other.admin"), siti.ID); err != auth.ErrForbidden {
		t.Fatalf("unlock from another unit: %v", err)
	}
	if err := h.svc.Unlock(h.ctx(), h.principalOf("dlhk.admin"), siti.ID); err != nil {
		t.Fatal(err)
	}
	h.browser().signInStaff("siti", "siti-password")

	// Locks also end by themselves, and grow with further failures. (A
	// minute passes first: the per-account rate limit allows ten tries a
	// minute, and this test has used them.)
	h.clock.Advance(time.Minute)
	c := h.browser()
	for range 5 {
		c.postFrom("/masuk", "/masuk", wrong)
	}
	h.clock.Advance(5*time.Minute + time.Second)
	resp, body = c.postFrom("/masuk", "/masuk", wrong)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "10 menit") {
		t.Fatalf("6th failure should lock for 10 minutes: %d", resp.StatusCode)
	}
	h.clock.Advance(10*time.Minute + time.Second)
	h.browser().signInStaff("siti", "siti-password")

	actions := h.auditActions(audit.Filter{ObjectType: "user", ObjectID: audit.ObjectID(siti.ID)})
	if n := count(actions, "signin.failed"); n != 11 {
		t.Errorf("%d signin.failed rows for siti, want 11: %v", n, actions)
	}
	for _, want := range []string{"user.created", "user.unlocked", "signin.succeeded"} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in %v", want, actions)
		}
	}
	// The ghost's failures are recorded too, without an object.
	page, _ := h.mod.Audit().Search(h.ctx(), audit.Filter{Action: "signin.failed", ObjectType: ""})
	if len(page.Records) < 16 {
		t.Errorf("%d signin.failed rows in all", len(page.Records))
	}
}

func count(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
