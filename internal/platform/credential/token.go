package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Token prefixes. A readable prefix tells a person (and secret scanners)
// what a leaked token is, and keeps the kinds apart: the prefix is part of
// the hashed token, so a session token can never match an API key row.
const (
	PrefixSession = "smk_sess_"
	PrefixAPI     = "smk_api_"
)

// tokenBytes of randomness: 256 bits, beyond any guessing, which is also
// why a plain SHA-256 (not a slow password hash) is enough to store them.
const tokenBytes = 32

// maxPrefixLen keeps prefixes short labels.
const maxPrefixLen = 32

// NewToken returns a new bearer token and the digest to store for it: the
// plain token (prefix + 32 random bytes in unpadded base64url, safe in
// headers, cookies and URLs) goes to the client once and is never stored;
// hash (HashToken of it) goes to the database, so a database leak yields no
// usable token.
//
// prefix must be a constant of lower-case ASCII letters, digits and
// underscores (such as PrefixSession); anything else panics, because it is
// a programming error and would make tokens unsafe in cookies.
func NewToken(prefix string) (plain, hash string) {
	if !validPrefix(prefix) {
		panic("credential: invalid token prefix " + prefix)
	}
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // never fails: crypto/rand crashes the program instead
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken returns the lower-case hex SHA-256 of a plain token, the value
// stored and looked up in the database. It is stable across releases:
// changing it would log everybody out and revoke every API key.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

func validPrefix(prefix string) bool {
	if len(prefix) > maxPrefixLen {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
