package pii

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func testSealer(t *testing.T, fill byte) *Sealer {
	t.Helper()
	s, err := NewSealer([]byte(strings.Repeat(string(fill), KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := testSealer(t, 1)
	for _, v := range []string{"", "5371015507900001", "Nama Lengkap — ñ 🙂"} {
		sealed, err := s.Seal(v)
		if err != nil {
			t.Fatal(err)
		}
		if v != "" && strings.Contains(sealed, v) {
			t.Fatalf("sealed %q contains the plaintext", sealed)
		}
		got, err := s.Open(sealed)
		if err != nil || got != v {
			t.Fatalf("Open(Seal(%q)) = %q, %v", v, got, err)
		}
	}
	a, _ := s.Seal("5371015507900001")
	b, _ := s.Seal("5371015507900001")
	if a == b {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
}

func TestOpenRefusesForeignAndTamperedValues(t *testing.T) {
	s, other := testSealer(t, 1), testSealer(t, 2)
	sealed, _ := s.Seal("5371015507900001")
	if _, err := other.Open(sealed); err != ErrCorrupt {
		t.Errorf("another key opened it: %v", err)
	}
	raw := []byte(sealed)
	raw[len(raw)-3] ^= 1
	for _, bad := range []string{string(raw), "v1:", "v1:!!!", "plain", sealed[:10]} {
		if _, err := s.Open(bad); err != ErrCorrupt {
			t.Errorf("Open(%q) = %v, want ErrCorrupt", bad, err)
		}
	}
}

func TestBlindIndexIsKeyedAndStable(t *testing.T) {
	s, other := testSealer(t, 1), testSealer(t, 2)
	again := testSealer(t, 1)
	if s.BlindIndex("5371015507900001") != again.BlindIndex("5371015507900001") {
		t.Fatal("index not stable across sealers with the same key")
	}
	if s.BlindIndex("5371015507900001") == s.BlindIndex("5371015507900002") {
		t.Fatal("different values collide")
	}
	if s.BlindIndex("5371015507900001") == other.BlindIndex("5371015507900001") {
		t.Fatal("index does not depend on the key")
	}
	if s.BlindIndex("") != "" {
		t.Fatal("empty value indexed")
	}
}

func TestKeyFileIsCreatedOnceWithPrivateMode(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = loadOrCreateKey(dir, noEnv) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if string(keys[i]) != string(keys[0]) {
			t.Fatal("concurrent starts created different keys")
		}
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	again, err := loadOrCreateKey(dir, noEnv)
	if err != nil || string(again) != string(keys[0]) {
		t.Fatal("second start read a different key")
	}
}

func TestEnvironmentKeyWins(t *testing.T) {
	want := []byte(strings.Repeat("k", KeySize))
	env := func(name string) string {
		if name == EnvKey {
			return base64.StdEncoding.EncodeToString(want)
		}
		return ""
	}
	dir := t.TempDir()
	got, err := loadOrCreateKey(dir, env)
	if err != nil || string(got) != string(want) {
		t.Fatalf("key %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFile)); !os.IsNotExist(err) {
		t.Fatal("a key file was created although the environment gave one")
	}
	short := func(string) string { return base64.StdEncoding.EncodeToString([]byte("short")) }
	if _, err := loadOrCreateKey(dir, short); err == nil || !strings.Contains(err.Error(), EnvKey) {
		t.Fatalf("short key: %v", err)
	}
}
