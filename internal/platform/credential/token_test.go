package credential

import (
	"regexp"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	plainPattern := regexp.MustCompile(`^smk_sess_[A-Za-z0-9_-]{43}$`)
	seen := map[string]bool{}
	for range 100 {
		plain, hash := NewToken(PrefixSession)
		if !plainPattern.MatchString(plain) {
			t.Fatalf("token %q has the wrong shape", plain)
		}
		if hash != HashToken(plain) {
			t.Fatalf("hash %q is not HashToken(plain)", hash)
		}
		if seen[plain] {
			t.Fatalf("token %q repeated", plain)
		}
		seen[plain] = true
	}
	if plain, _ := NewToken(PrefixAPI); !strings.HasPrefix(plain, "smk_api_") {
		t.Errorf("API token %q", plain)
	}
	if plain, _ := NewToken(""); len(plain) != 43 {
		t.Errorf("unprefixed token %q", plain)
	}
}

// TestHashTokenStable pins the digest: stored session and API key digests
// depend on it, so a change would silently revoke them all.
func TestHashTokenStable(t *testing.T) {
	tests := map[string]string{
		"":                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"abc":                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"smk_sess_example_tok": HashToken("smk_sess_example_tok"),
	}
	for plain, want := range tests {
		if got := HashToken(plain); got != want {
			t.Errorf("HashToken(%q) = %s, want %s", plain, got, want)
		}
	}
	if HashToken("smk_sess_x") == HashToken("smk_api_x") {
		t.Error("prefix is not part of the digest")
	}
}

func TestNewTokenRefusesBadPrefix(t *testing.T) {
	for _, prefix := range []string{"smk sess_", "smk;sess=", "SMK_", "smk_sess_\n", strings.Repeat("a", 33)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewToken(%q) did not panic", prefix)
				}
			}()
			NewToken(prefix)
		}()
	}
}
