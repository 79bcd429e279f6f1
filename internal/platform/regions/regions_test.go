package regions

import (
	"sync"
	"testing"
)

// kupangOnce loads the embedded Kupang profile once for all tests and benchmarks.
var kupangOnce = sync.OnceValues(func() (*Profile, error) { return LoadEmbedded("kupang") })

func kupang(tb testing.TB) *Profile {
	tb.Helper()
	p, err := kupangOnce()
	if err != nil {
		tb.Fatalf("LoadEmbedded(kupang): %v", err)
	}
	return p
}
