package credential

import "errors"

// Errors from Hash and Verify. Use errors.Is: the returned errors wrap these
// with details. A wrong password is not an error, it is ok == false.
var (
	// ErrPasswordEmpty and ErrPasswordTooLong are refused before any
	// hashing; the length cap stops a megabyte "password" from being used
	// to burn CPU.
	ErrPasswordEmpty   = errors.New("credential: empty password")
	ErrPasswordTooLong = errors.New("credential: password longer than 1024 bytes")

	// ErrMalformedHash means the stored string is not a PHC argon2id hash
	// this package writes: corrupted, truncated or tampered with.
	ErrMalformedHash = errors.New("credential: malformed password hash")
	// ErrUnsupportedHash means a well-formed hash of another algorithm
	// (argon2i, bcrypt, …) or another argon2 version.
	ErrUnsupportedHash = errors.New("credential: unsupported password hash")
	// ErrParams means cost parameters outside the accepted bounds, either
	// passed to Hash or found in a stored hash.
	ErrParams = errors.New("credential: argon2id parameters out of bounds")
)
