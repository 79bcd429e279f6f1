package credential

import (
	"errors"
	"testing"
)

// FuzzVerify drives the PHC parser with arbitrary stored strings. It must
// never panic, must refuse anything outside the parameter bounds before
// hashing, and what it accepts must be exactly what encodeHash writes. Full
// verification runs only for cheap parameters, so that the fuzzer does not
// spend its time (and gigabytes) inside argon2 on valid but costly hashes.
func FuzzVerify(f *testing.F) {
	good, err := Hash("correct horse battery staple", FastParams)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		good,
		"$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$6y0L0wZ6QqDwd3tFIRr5tF5mTf3Da6hH6sN1r8XxX1c",
		"$argon2id$v=19$m=1099511627776,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"",
	} {
		f.Add(s, "correct horse battery staple")
	}
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, salt, key, err := decodeHash(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) && !errors.Is(err, ErrUnsupportedHash) && !errors.Is(err, ErrParams) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if p.validate() != nil || p.Memory > maxMemory || p.Time > maxTime {
			t.Fatalf("accepted out-of-bounds %+v", p)
		}
		if again := encodeHash(p, salt, key); again != encoded {
			t.Fatalf("accepted %q, which encodes back as %q", encoded, again)
		}
		if p.Memory > 1024 || p.Time > 4 {
			return
		}
		ok, rehash, err := VerifyWith(password, encoded, p)
		if err != nil && !errors.Is(err, ErrPasswordEmpty) && !errors.Is(err, ErrPasswordTooLong) {
			t.Fatalf("Verify of an accepted hash: %v", err)
		}
		if rehash || (ok && err != nil) {
			t.Fatalf("ok=%v rehash=%v err=%v", ok, rehash, err)
		}
	})
}
