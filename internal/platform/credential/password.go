package credential

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// MaxPasswordBytes caps password length (see ErrPasswordTooLong).
const MaxPasswordBytes = 1024

// Hash derives an argon2id hash of password with fresh random salt and
// returns it in PHC string form, parameters included, for storage.
func Hash(password string, p Params) (string, error) {
	if err := checkPasswordBounds(password); err != nil {
		return "", err
	}
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt) // never fails: crypto/rand crashes the program instead
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

// Verify checks password against a hash from Hash. ok reports a match;
// needsRehash reports, on a match only, that the hash was made with other
// parameters than DefaultParams, so the caller should store
// Hash(password, DefaultParams) now that it knows the password.
//
// err is non-nil when encoded cannot be used (ErrMalformedHash,
// ErrUnsupportedHash, ErrParams: absurd stored parameters are refused
// before any memory is allocated) or the password is out of bounds
// (ErrPasswordEmpty, ErrPasswordTooLong). A wrong password is ok == false
// with a nil error. The comparison takes the same time wherever the keys
// differ.
func Verify(password, encoded string) (ok, needsRehash bool, err error) {
	return VerifyWith(password, encoded, DefaultParams)
}

// VerifyWith is Verify with needsRehash judged against current instead of
// DefaultParams, for a deployment or test suite that hashes with other
// parameters.
func VerifyWith(password, encoded string, current Params) (ok, needsRehash bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	if err := checkPasswordBounds(password); err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != current, nil
}

func checkPasswordBounds(password string) error {
	switch {
	case password == "":
		return ErrPasswordEmpty
	case len(password) > MaxPasswordBytes:
		return fmt.Errorf("%w: %d bytes", ErrPasswordTooLong, len(password))
	}
	return nil
}
