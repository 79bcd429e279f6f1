package pii

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvKey names the environment variable that carries the secret (base64
// of 32 bytes). Deployments with several servers set it on every server,
// from one secret store, instead of relying on a file in one server's data
// directory.
const EnvKey = "SODAMOLEK_SECRET_KEY"

// KeyFile is the secret's file name inside the data directory.
const KeyFile = "secret.key"

// LoadOrCreateKey returns the deployment's secret: from SODAMOLEK_SECRET_KEY
// when set, else from dataDir/secret.key, which is created (mode 0600,
// base64 text) on first start. A single-server installation therefore
// needs no configuration; a multi-server one must share the key (copy the
// file's content into the variable on every server).
func LoadOrCreateKey(dataDir string) ([]byte, error) {
	return loadOrCreateKey(dataDir, os.Getenv)
}

func loadOrCreateKey(dataDir string, getenv func(string) string) ([]byte, error) {
	if v := strings.TrimSpace(getenv(EnvKey)); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvKey, err)
		}
		return key, nil
	}
	if dataDir == "" {
		return nil, fmt.Errorf("pii: no %s and no data directory for %s", EnvKey, KeyFile)
	}
	path := filepath.Join(dataDir, KeyFile)
	for range 2 {
		if b, err := os.ReadFile(path); err == nil {
			key, err := decodeKey(strings.TrimSpace(string(b)))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return key, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		created, err := createKeyFile(path)
		if err != nil {
			return nil, err
		}
		if created != nil {
			return created, nil
		}
		// Another process created the file between our read and our
		// create: read theirs.
	}
	return nil, fmt.Errorf("pii: cannot read or create %s", path)
}

// createKeyFile writes a new random key to a temporary file and links it
// into place: the link fails if the file exists, so two processes starting
// at once on an empty data directory cannot end up with different keys,
// and neither can read a half-written file. It returns nil, nil when the
// file already exists.
func createKeyFile(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".secret-*.tmp")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, nil
		}
		return nil, err
	}
	return key, nil
}

func decodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("the secret key must be base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("the secret key must be %d bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), got %d", KeySize, len(key))
	}
	return key, nil
}
