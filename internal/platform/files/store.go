package files

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Store holds blobs by key. It is the seam for backends: [LocalStore]
// keeps them in a directory, and an S3-compatible store can implement the
// same four methods. Implementations must be safe for concurrent use.
//
// Keys are 5 to 255 characters from [a-z0-9._-], start with four
// characters from [a-z0-9] and never contain "..". That alphabet makes
// path traversal impossible, avoids case-folding collisions on
// case-insensitive file systems and is valid as an S3 object key. The
// keys made by [Uploads] ("<sha256 hex>.<ext>") always qualify; any other
// key is refused with [ErrInvalidKey].
type Store interface {
	// Put stores the bytes read from r under key, replacing any earlier
	// object. size is the exact length, or -1 when unknown; a reader that
	// delivers a different number of bytes is an error and nothing is
	// stored. A reader of an object never sees a partial Put.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the object's bytes. A missing key is an error that
	// matches fs.ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes the object. A missing key is an error that matches
	// fs.ErrNotExist.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object. Deleting a missing key is not an error,
	// so retries are harmless.
	Delete(ctx context.Context, key string) error
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	ModTime     time.Time
}

const maxKeyLen = 255 // the usual file-name limit

// checkKey enforces the key alphabet documented on [Store].
func checkKey(key string) error {
	if len(key) < 5 || len(key) > maxKeyLen {
		return fmt.Errorf("%w: length %d", ErrInvalidKey, len(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		alnum := 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if i < 4 && !alnum || !alnum && c != '.' && c != '-' && c != '_' {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
		if c == '.' && i > 0 && key[i-1] == '.' {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	return nil
}

// ctxReader stops a long copy once the request that asked for it is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
