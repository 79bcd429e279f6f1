package files

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LocalStore is a [Store] in a local directory. An object lives at
// <dir>/ab/cd/<key>, where ab and cd are the key's first four characters:
// with content-addressed keys that spreads objects over 65536 directories
// of a few entries each instead of one huge directory.
//
// All file system access goes through an [os.Root], so even a symlink
// planted inside the directory cannot lead outside it.
//
// Writes go to a temporary file under <dir>/.tmp, are flushed to disk and
// then renamed into place. Rename is atomic within one file system, so
// readers — in this process or in other server processes sharing the
// directory — see either the old object or the complete new one, and two
// concurrent Puts of the same key simply leave one of the two complete
// copies.
//
// The directory does not record content types; [LocalStore.Stat] derives
// them from the key's extension.
type LocalStore struct {
	root *os.Root
}

var _ Store = (*LocalStore)(nil)

const (
	tmpDir = ".tmp"
	// staleTemp is how old a temporary file must be before NewLocalStore
	// removes it as left over from a crash. It is far longer than any
	// upload takes, so files that another process is still writing into
	// the shared directory are never touched.
	staleTemp = 24 * time.Hour

	dirPerm  = 0o750
	filePerm = 0o640 // group-readable for backup jobs, never world-readable: photos are personal data
)

// NewLocalStore opens (creating if needed) a store in dir. Close it when
// done.
func NewLocalStore(dir string) (*LocalStore, error) {
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("files: local store: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("files: local store: %w", err)
	}
	if err := root.MkdirAll(tmpDir, dirPerm); err != nil {
		root.Close()
		return nil, fmt.Errorf("files: local store: %w", err)
	}
	s := &LocalStore{root: root}
	s.sweepTemp(time.Now().Add(-staleTemp))
	return s, nil
}

// Close releases the directory handle.
func (s *LocalStore) Close() error { return s.root.Close() }

// objectPath is the object's path relative to the store directory.
// The key must have passed checkKey.
func objectPath(key string) string {
	return filepath.Join(key[0:2], key[2:4], key)
}

// Put implements [Store]. contentType is not recorded (see LocalStore).
func (s *LocalStore) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp := filepath.Join(tmpDir, rand.Text()+".part")
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close() // a second Close only reports os.ErrClosed
			s.root.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("files: put %s: read %d bytes, expected %d", key, n, size)
	}
	// Flush before the rename: otherwise a power cut could leave a
	// complete-looking name pointing at empty or partial data.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	final := objectPath(key)
	dir := filepath.Dir(final)
	if err := s.root.MkdirAll(dir, dirPerm); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if err := s.root.Rename(tmp, final); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	// Persist the new directory entry too; the object is already visible,
	// so a failure here is reported but nothing is rolled back.
	if err := s.syncDir(dir); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	return nil
}

func (s *LocalStore) syncDir(dir string) error {
	d, err := s.root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open implements [Store]. The returned value is an *os.File, so it also
// implements io.ReadSeeker for http.ServeContent.
func (s *LocalStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.root.Open(objectPath(key))
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	return f, nil
}

// Stat implements [Store].
func (s *LocalStore) Stat(ctx context.Context, key string) (Info, error) {
	if err := checkKey(key); err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}
	fi, err := s.root.Stat(objectPath(key))
	if err != nil {
		return Info{}, fmt.Errorf("files: stat %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("files: stat %s: not a regular file", key)
	}
	return Info{Key: key, Size: fi.Size(), ContentType: contentTypeOfKey(key), ModTime: fi.ModTime()}, nil
}

// Delete implements [Store]. Emptied shard directories are kept: removing
// them could race with another process that is about to rename an object
// into them.
func (s *LocalStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.root.Remove(objectPath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// sweepTemp removes temporary files last modified before cutoff, left
// behind by a process that crashed mid-Put. It is best effort: failing to
// clean up must not stop the server from starting, and a concurrent sweep
// by another process may already have removed an entry.
func (s *LocalStore) sweepTemp(cutoff time.Time) {
	d, err := s.root.Open(tmpDir)
	if err != nil {
		return
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(cutoff) {
			s.root.Remove(filepath.Join(tmpDir, e.Name()))
		}
	}
}
