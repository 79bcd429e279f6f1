package jobs

import (
	"math/rand/v2"
	"time"
)

// backoff is the wait before the attempt after attempt n (n ≥ 1): the
// exponential step BackoffBase·2^(n-1), capped at BackoffMax, of which a
// random half is taken away. The jitter keeps jobs that failed together
// (a gateway that was down for everyone) from retrying together; keeping
// the other half keeps the growth visible.
func (q *Queue) backoff(attempt int) time.Duration {
	step := q.opts.BackoffBase
	for i := 1; i < attempt && step < q.opts.BackoffMax; i++ {
		if step > q.opts.BackoffMax/2 { // doubling would pass the cap (or overflow)
			step = q.opts.BackoffMax
			break
		}
		step *= 2
	}
	step = min(step, q.opts.BackoffMax)
	half := step / 2
	return step - half + rand.N(half+1)
}
