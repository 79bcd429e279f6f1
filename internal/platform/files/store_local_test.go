package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"

func newLocalStore(t *testing.T) (*LocalStore, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := NewLocalStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func readAll(t *testing.T, s Store, key string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLocalStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, dir := newLocalStore(t)
	data := []byte("hello, Kupang")

	if err := s.Put(ctx, testKey, bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	// Sharded layout: ab/cd/<key>, private to the server's user and group.
	fi, err := os.Stat(filepath.Join(dir, "9f", "86", testKey))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o007 != 0 {
		t.Errorf("object is world-accessible: %v", perm)
	}
	if got := readAll(t, s, testKey); !bytes.Equal(got, data) {
		t.Errorf("Open = %q, want %q", got, data)
	}
	info, err := s.Stat(ctx, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != testKey || info.Size != int64(len(data)) || info.ContentType != "image/jpeg" || info.ModTime.IsZero() {
		t.Errorf("Stat = %+v", info)
	}

	// Put replaces.
	data2 := []byte("replaced")
	if err := s.Put(ctx, testKey, bytes.NewReader(data2), -1, "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, testKey); !bytes.Equal(got, data2) {
		t.Errorf("after replace Open = %q", got)
	}

	if err := s.Delete(ctx, testKey); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, testKey); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Delete: %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Stat(ctx, testKey); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat after Delete: %v, want fs.ErrNotExist", err)
	}
	if err := s.Delete(ctx, testKey); err != nil {
		t.Errorf("second Delete: %v, want nil", err)
	}
	if files := storedFiles(t, dir); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

func TestLocalStoreRejectsBadKeys(t *testing.T) {
	ctx := context.Background()
	s, dir := newLocalStore(t)
	parent := filepath.Dir(dir)
	keys := []string{
		"",
		"abc",
		"../../etc/passwd",
		"abcd/../../x.jpg",
		"/etc/passwd",
		"ab/cd/abcdef.jpg",
		`abcd\..\x.jpg`,
		"abcd..jpg",
		"abcd.jpg..",
		"..abcd.jpg",
		".tmp/abcd.part",
		".abcd.jpg",
		"ab.cd.jpg",
		"ABCD.jpg",
		"abcd\x00.jpg",
		"abcd .jpg",
		"abcd:x.jpg",
		"ab%2f.jpg",
		strings.Repeat("a", maxKeyLen+1),
	}
	for _, key := range keys {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain")
			if !errors.Is(err, ErrInvalidKey) || ErrorCode(err) != "invalid_key" {
				t.Errorf("Put: %v, want ErrInvalidKey", err)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Open: %v, want ErrInvalidKey", err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Stat: %v, want ErrInvalidKey", err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Delete: %v, want ErrInvalidKey", err)
			}
		})
	}
	if files := storedFiles(t, parent); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
	for _, ok := range []string{"abcde", "abcd.jpg", "abcd-1_2.pdf", "report.v2.pdf", testKey, strings.Repeat("a", maxKeyLen)} {
		if err := checkKey(ok); err != nil {
			t.Errorf("checkKey(%q) = %v", ok, err)
		}
	}
}

// TestLocalStoreSymlinkEscape plants a symlink to a directory outside the
// store; the os.Root confinement must refuse to follow it.
func TestLocalStoreSymlinkEscape(t *testing.T) {
	ctx := context.Background()
	s, dir := newLocalStore(t)
	outside := t.TempDir()
	if err := os.MkdirAll(filepath.Join(outside, "86"), 0o700); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "86", testKey)
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "9f")); err != nil {
		t.Fatal(err)
	}
	if rc, err := s.Open(ctx, testKey); err == nil {
		rc.Close()
		t.Error("Open followed a symlink out of the store")
	}
	if err := s.Put(ctx, testKey, strings.NewReader("x"), 1, "image/jpeg"); err == nil {
		t.Error("Put followed a symlink out of the store")
	}
	if b, _ := os.ReadFile(secret); string(b) != "secret" {
		t.Errorf("file outside the store changed to %q", b)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	r.n -= n
	return n, nil
}

// TestLocalStorePutFailureLeavesNothing: a short body, a failing reader or
// a cancelled context must leave neither the object nor a temporary file.
func TestLocalStorePutFailureLeavesNothing(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		r    io.Reader
		size int64
	}{
		{"short body", context.Background(), strings.NewReader("12345"), 10},
		{"long body", context.Background(), strings.NewReader("12345"), 3},
		{"reader error", context.Background(), &failingReader{n: 100}, -1},
		{"cancelled", cancelled, strings.NewReader("12345"), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := newLocalStore(t)
			if err := s.Put(tt.ctx, testKey, tt.r, tt.size, "image/jpeg"); err == nil {
				t.Fatal("Put succeeded")
			}
			if _, err := s.Stat(context.Background(), testKey); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat: %v, want fs.ErrNotExist", err)
			}
			if files := storedFiles(t, dir); len(files) != 0 {
				t.Errorf("files left: %v", files)
			}
		})
	}
}

// TestLocalStoreConcurrent has several "processes" (separate LocalStores
// on one directory) write the same key while others read it: every read
// must see a complete object.
func TestLocalStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: a torn write would show
	var stores []*LocalStore
	for range 3 {
		s, err := NewLocalStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	if err := stores[0].Put(ctx, testKey, bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 12 {
		s := stores[i%len(stores)]
		wg.Go(func() {
			if i%2 == 0 {
				if err := s.Put(ctx, testKey, bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
					t.Error(err)
				}
				return
			}
			rc, err := s.Open(ctx, testKey)
			if err != nil {
				t.Error(err)
				return
			}
			defer rc.Close()
			if b, err := io.ReadAll(rc); err != nil || !bytes.Equal(b, data) {
				t.Errorf("read %d bytes (err %v), want the complete %d", len(b), err, len(data))
			}
		})
	}
	wg.Wait()
	if files := storedFiles(t, dir); len(files) != 1 {
		t.Errorf("files: %v, want just the object", files)
	}
}

func TestLocalStoreSweepsStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, tmpDir), 0o700); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, tmpDir, "crashed.part")
	fresh := filepath.Join(dir, tmpDir, "in-progress.part")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTemp)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	s, err := NewLocalStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file (another process's upload) removed: %v", err)
	}
}
