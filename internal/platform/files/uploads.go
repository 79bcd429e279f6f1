package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
)

// Uploads validates and sanitises uploads and puts them into a [Store].
// It is safe for concurrent use.
type Uploads struct {
	store    Store
	defaults Policy
	// images bounds how many photos are decoded at once. A 40 MP photo
	// needs well over 100 MB while it is being processed and the work is
	// pure CPU, so running more than one per core only adds memory
	// pressure; further uploads wait (or give up with their context).
	images chan struct{}
}

// Saved describes a stored upload.
type Saved struct {
	// Key is the store key: hex SHA-256 of the stored bytes plus the
	// extension, e.g. "9f86…0f00.jpg".
	Key string
	// ContentType is the type of the stored bytes, which for a WebP upload
	// is JPEG or PNG.
	ContentType ContentType
	Kind        Kind
	// Size is the length of the stored bytes.
	Size int64
	// Width and Height are the stored image's dimensions after shrinking
	// and turning it upright; zero for PDFs.
	Width, Height int
	// SHA256 is the hex SHA-256 of the stored bytes.
	SHA256 string
	// GPS is the position from the photo's EXIF, read before the metadata
	// was stripped. It is nil unless the policy asked for it (ReadGPS) and
	// the photo carried a plausible position.
	GPS *GPS
}

// NewUploads returns an upload pipeline storing into store. Zero fields of
// defaults fall back to [DefaultPolicy].
func NewUploads(store Store, defaults Policy) *Uploads {
	defaults.Allow = slices.Clone(defaults.Allow) // later changes by the caller must not leak in
	return &Uploads{
		store:    store,
		defaults: defaults.or(DefaultPolicy()),
		images:   make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
}

// Save reads an upload from r, checks it against p (zero fields take the
// defaults given to NewUploads), sanitises it and stores it under its
// content address. Saving the same content again returns the same Key
// and leaves the store as it was.
//
// Refusals wrap [ErrTooLarge], [ErrUnsupportedType], [ErrCorrupt] or
// [ErrTooManyPixels]; nothing reaches the store before all checks have
// passed. Other errors come from r, the context or the store.
func (u *Uploads) Save(ctx context.Context, r io.Reader, p Policy) (Saved, error) {
	p = p.or(u.defaults)

	// One byte more than allowed is enough to know the upload is too
	// large, without reading (or buffering) the rest of it.
	b, err := io.ReadAll(io.LimitReader(ctxReader{ctx, r}, p.MaxBytes+1))
	if err != nil {
		return Saved{}, fmt.Errorf("files: read upload: %w", err)
	}
	if int64(len(b)) > p.MaxBytes {
		return Saved{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, p.MaxBytes)
	}

	c := sniff(b)
	if !p.allows(c) {
		if c == "" {
			return Saved{}, ErrUnsupportedType
		}
		return Saved{}, fmt.Errorf("%w: %s is not allowed here", ErrUnsupportedType, c)
	}

	s := Saved{Kind: c.Kind()}
	switch s.Kind {
	case KindImage:
		ph, err := u.processImage(ctx, b, c, p)
		if err != nil {
			return Saved{}, err
		}
		b, s.ContentType, s.Width, s.Height, s.GPS = ph.data, ph.ct, ph.width, ph.height, ph.gps
	case KindPDF:
		if err := checkPDF(b); err != nil {
			return Saved{}, err
		}
		s.ContentType = PDF
	}

	sum := sha256.Sum256(b)
	s.SHA256 = hex.EncodeToString(sum[:])
	s.Key = s.SHA256 + s.ContentType.Ext()
	s.Size = int64(len(b))

	// The key names the content, so an object already under it is this
	// very upload: skip the write. Two concurrent first saves both write,
	// which the Store contract makes harmless.
	if info, err := u.store.Stat(ctx, s.Key); err == nil && info.Size == s.Size {
		return s, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Saved{}, err
	}
	if err := u.store.Put(ctx, s.Key, bytes.NewReader(b), s.Size, string(s.ContentType)); err != nil {
		return Saved{}, err
	}
	return s, nil
}

// processImage runs processImage once a decoding slot is free.
func (u *Uploads) processImage(ctx context.Context, b []byte, c ContentType, p Policy) (photo, error) {
	select {
	case u.images <- struct{}{}:
	case <-ctx.Done():
		return photo{}, ctx.Err()
	}
	defer func() { <-u.images }()
	return processImage(b, c, p)
}

// Open reads back a stored upload by key, from whichever store the
// uploads were saved in (local directory now, S3-compatible later).
func (u *Uploads) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return u.store.Open(ctx, key)
}
