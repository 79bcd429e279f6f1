package credential

import "fmt"

// Params are the argon2id cost parameters. Each hash records the ones it
// was made with, so they can be raised later without breaking old hashes:
// Verify reports needsRehash and the caller stores a fresh hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes of random salt
	KeyLen  uint32 // bytes of derived key
}

// DefaultParams is the cost for production password hashes: 64 MiB, 3
// passes, 2 lanes, 16-byte salt, 32-byte key.
//
// How it was chosen: one verification should cost 50–250 ms on the
// production-sized machine (2 cores): slow enough to make guessing from a
// leaked hash expensive, quick enough for a login, and light enough that a
// few logins can run at once. 64 MiB is RFC 9106's second recommended
// memory size. BenchmarkHashCandidates on the 2-core AMD EPYC development
// machine, shared with other jobs while measured (wall time per hash over
// several runs; CPU time from the test binary's user+sys over 20 hashes):
//
//	m=64 MiB  t=1 p=1   41–64 ms wall    57 ms CPU
//	          t=2 p=1   79–156 ms       117 ms CPU
//	          t=3 p=1  115–220 ms       153 ms CPU
//	          t=2 p=2   79–161 ms       115 ms CPU
//	          t=3 p=2   85–129 ms       165 ms CPU   (chosen)
//	          t=4 p=2  118–242 ms       247 ms CPU
//
// Each pass over 64 MiB costs about 50 ms of CPU. t=3 on 2 lanes takes
// ~85–130 ms when the second core is free and ~165 ms when it is not, the
// middle of the window. BenchmarkHashDefault and BenchmarkVerifyDefault
// (the same work), 22 runs of 10 hashes: 76–247 ms in 17 runs, median
// ~145 ms; 275–342 ms in the 5 runs taken while other jobs kept both cores
// busy (load average ~3). Re-run the benchmarks before changing this or
// moving to other hardware.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// FastParams is for tests only: it makes hashing take well under a
// millisecond so that suites that create users stay quick. It is far too
// cheap to protect a real password; never use it outside _test.go files.
var FastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on parameters, applied both when hashing and when reading a stored
// hash. A tampered or corrupted hash string must not make Verify allocate
// gigabytes or spin for minutes, so anything outside these is refused.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 64
	maxThreads = 64
	minSaltLen = 8 // RFC 9106 minimum
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// validate checks p against the bounds above and argon2's own rule that
// each lane has at least 8 KiB.
func (p Params) validate() error {
	switch {
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("%w: threads %d outside 1–%d", ErrParams, p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("%w: memory %d KiB outside %d–%d", ErrParams, p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("%w: time %d outside 1–%d", ErrParams, p.Time, maxTime)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length %d outside %d–%d", ErrParams, p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: key length %d outside %d–%d", ErrParams, p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}
