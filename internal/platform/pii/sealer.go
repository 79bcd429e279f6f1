// Package pii protects personal data at rest (UU 27/2022): a Sealer
// encrypts values such as a NIK with AES-256-GCM before they reach the
// database, and computes a keyed blind index (HMAC-SHA256) so that equal
// values can still be found and duplicates detected without decrypting.
//
// Both keys are derived from one 32-byte secret (see key.go). Every server
// of a deployment must use the same secret, or one server cannot read what
// another sealed; losing it makes sealed values unreadable for good, so it
// belongs in the backup plan, apart from the database backups.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of the secret in bytes.
const KeySize = 32

// sealedPrefix versions the stored form, so a future change of algorithm
// or key can tell old values from new ones.
const sealedPrefix = "v1:"

// ErrCorrupt is returned by Open for a value that was not sealed with this
// key (a different secret, a truncated column, tampering).
var ErrCorrupt = errors.New("pii: sealed value cannot be opened")

// Sealer encrypts and indexes personal data. It is safe for concurrent
// use.
type Sealer struct {
	aead     cipher.AEAD
	indexKey []byte
}

// NewSealer derives the encryption and index keys from a 32-byte secret.
// Separate keys mean the blind index (which must stay stable for lookups)
// never shares key material with the cipher.
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) != KeySize {
		return nil, fmt.Errorf("pii: secret must be %d bytes, got %d", KeySize, len(secret))
	}
	encKey, err := hkdf.Key(sha256.New, secret, nil, "sodamolek pii seal v1", 32)
	if err != nil {
		return nil, err
	}
	idxKey, err := hkdf.Key(sha256.New, secret, nil, "sodamolek pii blind index v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, indexKey: idxKey}, nil
}

// Seal encrypts plaintext into printable text for a TEXT column: a random
// nonce, the ciphertext and its tag, base64. The empty string seals to the
// empty string, so "not given" stays recognisable without a key.
func (s *Sealer) Seal(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plaintext), []byte(sealedPrefix))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal; "" opens to "".
func (s *Sealer) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	body, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrCorrupt
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", ErrCorrupt
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(sealedPrefix))
	if err != nil {
		return "", ErrCorrupt
	}
	return string(plain), nil
}

// BlindIndex returns a stable keyed digest of value (hex), for equality
// lookups and unique indexes on sealed columns. Without the secret it
// cannot be reversed by trying every possible NIK, unlike a plain hash.
// The empty value has the empty index.
func (s *Sealer) BlindIndex(value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.indexKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
