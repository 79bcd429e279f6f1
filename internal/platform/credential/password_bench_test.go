package credential

import (
	"fmt"
	"testing"
)

// The benchmarks behind DefaultParams. Run them alone on an otherwise idle
// machine; each operation allocates the full argon2 memory:
//
//	go test -run '^$' -bench 'HashDefault|VerifyDefault|HashCandidates' \
//	    -benchtime 10x -count 3 ./internal/platform/credential

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("correct horse battery staple", DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	encoded, err := Hash("correct horse battery staple", DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _, err := Verify("correct horse battery staple", encoded); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkHashCandidates measures the grid DefaultParams was picked from:
// 64 MiB with 1–4 passes on 1 or 2 lanes.
func BenchmarkHashCandidates(b *testing.B) {
	for _, threads := range []uint8{1, 2} {
		for _, passes := range []uint32{1, 2, 3, 4} {
			p := Params{Memory: 64 * 1024, Time: passes, Threads: threads, SaltLen: 16, KeyLen: 32}
			b.Run(fmt.Sprintf("m=64MiB/t=%d/p=%d", passes, threads), func(b *testing.B) {
				for b.Loop() {
					if _, err := Hash("correct horse battery staple", p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkHashFast(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("correct horse battery staple", FastParams); err != nil {
			b.Fatal(err)
		}
	}
}
