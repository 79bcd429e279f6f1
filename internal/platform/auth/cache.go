package auth

import (
	"sync"
	"time"
)

// principalCache keeps recently resolved credentials (session tokens,
// bearer tokens, API keys), keyed by the token's hash, for a few seconds.
// A page load fetches a document and its assets with the same cookie, and
// an integration calls in bursts; without the cache each request would
// read the session, the user and the grants from the database.
//
// Entries are dropped on this server the moment a credential is revoked
// or an account or role changes. Other servers keep theirs until the TTL
// runs out: that TTL is the longest a revocation takes to reach every
// server.
type principalCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*cacheEntry
	sweep   time.Time
	// gen counts invalidations. A lookup notes it before reading the
	// database and may only fill the cache if no invalidation happened
	// meanwhile: otherwise a read that raced a sign-out could put the
	// session back for a whole TTL.
	gen uint64
}

// cacheEntry is one resolved credential with what is needed to re-check
// its expiry without the database.
type cacheEntry struct {
	p        *Principal
	userID   int64
	loadedAt time.Time
	// expiresAt is the absolute expiry; idle, when set, is the idle
	// timeout counted from lastSeen.
	expiresAt time.Time
	idle      time.Duration
	lastSeen  time.Time
}

func newPrincipalCache(ttl time.Duration) *principalCache {
	return &principalCache{ttl: ttl, entries: map[string]*cacheEntry{}}
}

// get returns a copy of the live entry for hash, or nil.
func (c *principalCache) get(hash string, now time.Time) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[hash]
	if e == nil {
		return nil
	}
	if now.Sub(e.loadedAt) >= c.ttl || !e.valid(now) {
		delete(c.entries, hash)
		return nil
	}
	cp := *e
	return &cp
}

func (e *cacheEntry) valid(now time.Time) bool {
	if !now.Before(e.expiresAt) {
		return false
	}
	return e.idle <= 0 || now.Before(e.lastSeen.Add(e.idle))
}

// generation is noted before a database read; see put.
func (c *principalCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put stores an entry read from the database, unless something was
// invalidated since the read began (gen from generation).
func (c *principalCache) put(hash string, e *cacheEntry, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.gc(now)
	c.entries[hash] = e
}

// touched records a last-seen update made through another copy.
func (c *principalCache) touched(hash string, at time.Time) {
	c.mu.Lock()
	if e := c.entries[hash]; e != nil {
		e.lastSeen = at
	}
	c.mu.Unlock()
}

func (c *principalCache) forget(hash string) {
	c.mu.Lock()
	c.gen++
	delete(c.entries, hash)
	c.mu.Unlock()
}

// forgetUser drops every credential of one account (password reset,
// roles changed, account disabled or deleted, sign-out everywhere).
func (c *principalCache) forgetUser(userID int64) {
	c.mu.Lock()
	c.gen++
	for k, e := range c.entries {
		if e.userID == userID {
			delete(c.entries, k)
		}
	}
	c.mu.Unlock()
}

// flush drops everything (a role's grants changed).
func (c *principalCache) flush() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// gc removes stale entries once per TTL so the map does not grow with
// every token ever seen.
func (c *principalCache) gc(now time.Time) {
	if now.Sub(c.sweep) < c.ttl {
		return
	}
	c.sweep = now
	for k, e := range c.entries {
		if now.Sub(e.loadedAt) >= c.ttl {
			delete(c.entries, k)
		}
	}
}
