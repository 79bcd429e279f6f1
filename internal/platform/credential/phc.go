package credential

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The PHC string format, as written by the argon2 reference implementation:
//
//	$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>
//
// with salt and hash in standard base64 without padding. The parser is
// strict (fixed parameter order, no leading zeros, canonical base64) so that
// every accepted string is exactly what encodeHash would write for it.

// maxEncodedLen bounds the input to the parser; the longest hash this
// package accepts (64-byte salt and key, largest parameters) is 208 bytes.
const maxEncodedLen = 256

var b64 = base64.RawStdEncoding.Strict()

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeHash parses a PHC argon2id string. The returned Params have SaltLen
// and KeyLen set from the decoded salt and key, and are within bounds.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	if len(encoded) > maxEncodedLen {
		return Params{}, nil, nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformedHash, maxEncodedLen)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return Params{}, nil, nil, fmt.Errorf("%w: want 5 $-separated fields", ErrMalformedHash)
	}
	if parts[1] != "argon2id" {
		return Params{}, nil, nil, fmt.Errorf("%w: algorithm %q", ErrUnsupportedHash, parts[1])
	}
	version, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return Params{}, nil, nil, fmt.Errorf("%w: no version field", ErrMalformedHash)
	}
	v, err := parseDecimal(version)
	if err != nil {
		return Params{}, nil, nil, err
	}
	if v != argon2.Version {
		return Params{}, nil, nil, fmt.Errorf("%w: argon2 version %d", ErrUnsupportedHash, v)
	}

	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return Params{}, nil, nil, fmt.Errorf("%w: want parameters m, t, p", ErrMalformedHash)
	}
	var values [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return Params{}, nil, nil, fmt.Errorf("%w: want parameters m, t, p in this order", ErrMalformedHash)
		}
		if values[i], err = parseDecimal(digits); err != nil {
			return Params{}, nil, nil, err
		}
	}
	// Range-check before narrowing, so that m=1<<40 is refused rather
	// than wrapped round to a small number.
	if values[0] > maxMemory || values[1] > maxTime || values[2] > maxThreads {
		return Params{}, nil, nil, fmt.Errorf("%w: m=%d, t=%d, p=%d", ErrParams, values[0], values[1], values[2])
	}

	if salt, err = decodeBase64(parts[4]); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: salt: %w", ErrMalformedHash, err)
	}
	if key, err = decodeBase64(parts[5]); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: hash: %w", ErrMalformedHash, err)
	}
	p = Params{
		Memory:  uint32(values[0]),
		Time:    uint32(values[1]),
		Threads: uint8(values[2]),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// decodeBase64 decodes unpadded standard base64 and insists on the
// canonical spelling: the decoder alone would skip embedded newlines.
func decodeBase64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b64.EncodeToString(b) != s {
		return nil, errors.New("not canonical base64")
	}
	return b, nil
}

// parseDecimal reads a canonical unsigned decimal: digits only, no sign, no
// leading zero.
func parseDecimal(s string) (uint64, error) {
	if s == "" || len(s) > 1 && s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: %q is not a canonical decimal", ErrMalformedHash, s)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		// Only overflow is left: far beyond any bound.
		return math.MaxUint64, nil
	}
	return n, nil
}
