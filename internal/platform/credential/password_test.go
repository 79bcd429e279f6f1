package credential

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashVerifyRoundTrip(t *testing.T) {
	for _, pw := range []string{"correct horse battery staple", "kata sandi rahasia 🔑", "x", strings.Repeat("a", MaxPasswordBytes)} {
		encoded, err := Hash(pw, FastParams)
		if err != nil {
			t.Fatalf("Hash: %v", err)
		}
		if !phcPattern.MatchString(encoded) {
			t.Fatalf("encoded %q is not the expected PHC form", encoded)
		}
		ok, rehash, err := VerifyWith(pw, encoded, FastParams)
		if !ok || rehash || err != nil {
			t.Errorf("VerifyWith(right password) = %v, %v, %v", ok, rehash, err)
		}
		ok, rehash, err = VerifyWith("X"+pw[1:], encoded, FastParams)
		if ok || rehash || err != nil {
			t.Errorf("VerifyWith(wrong password) = %v, %v, %v", ok, rehash, err)
		}
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	a, _ := Hash("same password", FastParams)
	b, _ := Hash("same password", FastParams)
	if a == b {
		t.Error("two hashes of one password are equal: salt is not random")
	}
}

// TestDefaultParams runs one real-cost hash, to prove DefaultParams are
// accepted and that a default hash does not ask for a rehash.
func TestDefaultParams(t *testing.T) {
	encoded, err := Hash("correct horse battery staple", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("encoded = %q", encoded)
	}
	ok, rehash, err := Verify("correct horse battery staple", encoded)
	if !ok || rehash || err != nil {
		t.Errorf("Verify = %v, %v, %v", ok, rehash, err)
	}
}

func TestNeedsRehash(t *testing.T) {
	encoded, err := Hash("correct horse battery staple", FastParams)
	if err != nil {
		t.Fatal(err)
	}
	// Verify judges against DefaultParams, which FastParams differ from.
	ok, rehash, err := Verify("correct horse battery staple", encoded)
	if !ok || !rehash || err != nil {
		t.Errorf("Verify(fast hash) = %v, %v, %v; want a match that needs a rehash", ok, rehash, err)
	}
	for name, current := range map[string]Params{
		"memory":  {Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		"time":    {Memory: 64, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32},
		"threads": {Memory: 64, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
		"salt":    {Memory: 64, Time: 1, Threads: 1, SaltLen: 32, KeyLen: 32},
		"key":     {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 64},
	} {
		if ok, rehash, err := VerifyWith("correct horse battery staple", encoded, current); !ok || !rehash || err != nil {
			t.Errorf("%s differs: VerifyWith = %v, %v, %v; want a rehash", name, ok, rehash, err)
		}
	}
	// A wrong password never asks for a rehash: there is nothing to rehash.
	if ok, rehash, _ := Verify("wrong password!", encoded); ok || rehash {
		t.Errorf("wrong password: ok=%v rehash=%v", ok, rehash)
	}
}

func TestPasswordBounds(t *testing.T) {
	if _, err := Hash("", FastParams); !errors.Is(err, ErrPasswordEmpty) {
		t.Errorf("Hash(empty) err = %v", err)
	}
	if _, err := Hash(strings.Repeat("a", MaxPasswordBytes+1), FastParams); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Hash(too long) err = %v", err)
	}
	encoded, _ := Hash("correct horse battery staple", FastParams)
	if ok, _, err := Verify("", encoded); ok || !errors.Is(err, ErrPasswordEmpty) {
		t.Errorf("Verify(empty) = %v, %v", ok, err)
	}
	if ok, _, err := Verify(strings.Repeat("a", MaxPasswordBytes+1), encoded); ok || !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Verify(too long) = %v, %v", ok, err)
	}
}

func TestHashRefusesBadParams(t *testing.T) {
	for name, p := range map[string]Params{
		"zero":            {},
		"memory 1 TiB":    {Memory: 1 << 30, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		"memory < 8/lane": {Memory: 15, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
		"time 0":          {Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		"time 65":         {Memory: 64, Time: 65, Threads: 1, SaltLen: 16, KeyLen: 32},
		"threads 0":       {Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		"threads 65":      {Memory: 1024, Time: 1, Threads: 65, SaltLen: 16, KeyLen: 32},
		"salt 4":          {Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		"key 8":           {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		"key 4096":        {Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 4096},
	} {
		if _, err := Hash("correct horse battery staple", p); !errors.Is(err, ErrParams) {
			t.Errorf("%s: err = %v, want ErrParams", name, err)
		}
	}
}

func TestVerifyRefusesTamperedHashes(t *testing.T) {
	good, err := Hash("correct horse battery staple", FastParams)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", alg, v, params, salt, key
	salt, key := parts[4], parts[5]
	with := func(alg, version, params, salt, key string) string {
		return strings.Join([]string{"", alg, version, params, salt, key}, "$")
	}
	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", ErrMalformedHash},
		{"plain text", "correct horse battery staple", ErrMalformedHash},
		{"missing key", strings.Join(parts[:5], "$"), ErrMalformedHash},
		{"extra field", good + "$AAAA", ErrMalformedHash},
		{"text before", "x" + good, ErrMalformedHash},
		{"very long", good + strings.Repeat("A", 1<<20), ErrMalformedHash},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformedHash},
		{"argon2i", with("argon2i", "v=19", "m=64,t=1,p=1", salt, key), ErrUnsupportedHash},
		{"argon2d", with("argon2d", "v=19", "m=64,t=1,p=1", salt, key), ErrUnsupportedHash},
		{"version 16", with("argon2id", "v=16", "m=64,t=1,p=1", salt, key), ErrUnsupportedHash},
		{"version 20", with("argon2id", "v=20", "m=64,t=1,p=1", salt, key), ErrUnsupportedHash},
		{"no version", strings.Replace(good, "$v=19", "", 1), ErrMalformedHash},
		{"version not a number", with("argon2id", "v=x", "m=64,t=1,p=1", salt, key), ErrMalformedHash},
		{"memory 1<<40", with("argon2id", "v=19", "m=1099511627776,t=1,p=1", salt, key), ErrParams},
		{"memory 2^64", with("argon2id", "v=19", "m=18446744073709551616,t=1,p=1", salt, key), ErrParams},
		{"memory 4 GiB wraps to 0 in uint32", with("argon2id", "v=19", "m=4294967360,t=1,p=1", salt, key), ErrParams},
		{"memory 2 GiB", with("argon2id", "v=19", "m=2097152,t=1,p=1", salt, key), ErrParams},
		{"memory 0", with("argon2id", "v=19", "m=0,t=1,p=1", salt, key), ErrParams},
		{"time 1e9", with("argon2id", "v=19", "m=64,t=1000000000,p=1", salt, key), ErrParams},
		{"time 0", with("argon2id", "v=19", "m=64,t=0,p=1", salt, key), ErrParams},
		{"threads 256", with("argon2id", "v=19", "m=4096,t=1,p=256", salt, key), ErrParams},
		{"threads 0", with("argon2id", "v=19", "m=64,t=1,p=0", salt, key), ErrParams},
		{"parameters reordered", with("argon2id", "v=19", "t=1,m=64,p=1", salt, key), ErrMalformedHash},
		{"parameter missing", with("argon2id", "v=19", "m=64,t=1", salt, key), ErrMalformedHash},
		{"extra parameter", with("argon2id", "v=19", "m=64,t=1,p=1,keyid=x", salt, key), ErrMalformedHash},
		{"leading zero", with("argon2id", "v=19", "m=064,t=1,p=1", salt, key), ErrMalformedHash},
		{"sign", with("argon2id", "v=19", "m=+64,t=1,p=1", salt, key), ErrMalformedHash},
		{"negative", with("argon2id", "v=19", "m=64,t=-1,p=1", salt, key), ErrMalformedHash},
		{"salt not base64", with("argon2id", "v=19", "m=64,t=1,p=1", "!!!!"+salt[4:], key), ErrMalformedHash},
		{"salt padded", with("argon2id", "v=19", "m=64,t=1,p=1", salt+"==", key), ErrMalformedHash},
		{"salt base64url", with("argon2id", "v=19", "m=64,t=1,p=1", "-_"+salt[2:], key), ErrMalformedHash},
		{"key not base64", with("argon2id", "v=19", "m=64,t=1,p=1", salt, key[:42]+"*"), ErrMalformedHash},
		// 43 characters carry 258 bits for a 256-bit key: the spare two
		// must be zero in canonical base64.
		{"key non-canonical base64", with("argon2id", "v=19", "m=64,t=1,p=1", salt, key[:42]+flipLowBits(key[42])), ErrMalformedHash},
		{"newline in key", with("argon2id", "v=19", "m=64,t=1,p=1", salt, key[:20]+"\n"+key[20:]), ErrMalformedHash},
		{"salt too short", with("argon2id", "v=19", "m=64,t=1,p=1", "AAAAAA", key), ErrParams},
		{"key too short", with("argon2id", "v=19", "m=64,t=1,p=1", salt, "AAAAAAAAAA"), ErrParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := Verify("correct horse battery staple", tt.encoded)
			if ok || rehash || !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, %v, %v; want error %v", ok, rehash, err, tt.want)
			}
		})
	}

	// A well-formed hash with one changed key character is a wrong
	// password, not an error.
	flipped := with("argon2id", "v=19", "m=64,t=1,p=1", salt, otherChar(key[0])+key[1:])
	if ok, _, err := Verify("correct horse battery staple", flipped); ok || err != nil {
		t.Errorf("changed key: ok=%v err=%v", ok, err)
	}
	// So is a changed salt.
	flipped = with("argon2id", "v=19", "m=64,t=1,p=1", otherChar(salt[0])+salt[1:], key)
	if ok, _, err := Verify("correct horse battery staple", flipped); ok || err != nil {
		t.Errorf("changed salt: ok=%v err=%v", ok, err)
	}
}

// flipLowBits returns the base64 character with the same high 4 bits but
// the lowest two flipped, which makes the last character non-canonical.
func flipLowBits(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(alphabet, c)
	return string(alphabet[i^3])
}

func otherChar(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestLargestHashParses checks that maxEncodedLen leaves room for the
// largest hash within the bounds, without running argon2 on it.
func TestLargestHashParses(t *testing.T) {
	p := Params{Memory: maxMemory, Time: maxTime, Threads: maxThreads, SaltLen: maxSaltLen, KeyLen: maxKeyLen}
	encoded := encodeHash(p, make([]byte, maxSaltLen), make([]byte, maxKeyLen))
	got, _, _, err := decodeHash(encoded)
	if err != nil || got != p {
		t.Errorf("decodeHash(%d-byte hash) = %+v, %v", len(encoded), got, err)
	}
}
