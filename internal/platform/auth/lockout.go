package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Lock-out policy. After lockThreshold consecutive failures an account
// name is locked for lockBase, doubling with every further failure up to
// lockMax. Failures older than failureMemory are forgotten. The counters
// live in the database, so every server sees the same lock and a restart
// does not reset it.
const (
	lockThreshold = 5
	lockBase      = 5 * time.Minute
	lockMax       = time.Hour
	failureMemory = 24 * time.Hour
)

func normalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// lockKey is the login_failures key of an account name: a keyed digest,
// never the name itself (people type passwords into the name field).
func (s *Service) lockKey(username string) string {
	return s.sealer.BlindIndex("login:" + normalizeUsername(username))
}

// lockedUntil returns when the account name's lock ends (zero if it is
// not locked).
func (s *Service) lockedUntil(ctx context.Context, key string) (time.Time, error) {
	var until time.Time
	err := s.db.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE account = $1`, key).Scan(database.T(&until))
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	if !until.After(s.clock.Now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// lockDuration is how long the n-th consecutive failure locks for.
func lockDuration(failures int) time.Duration {
	if failures < lockThreshold {
		return 0
	}
	d := lockBase
	for i := lockThreshold; i < failures && d < lockMax; i++ {
		d *= 2
	}
	return min(d, lockMax)
}

// recordFailure counts a failed sign-in for the account name and writes
// the audit row, and returns a *LockedError when this failure locked the
// name, else ErrBadCredentials. userID is 0 for a name without an
// account; what says which step failed ("password", "totp", "api").
func (s *Service) recordFailure(ctx context.Context, key string, userID int64, client ClientInfo, what string) error {
	now := s.clock.Now()
	var locked time.Time
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		// One atomic upsert, so concurrent failures on PostgreSQL cannot
		// lose a count.
		var failures int
		err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (account, failures, last_failure_at) VALUES ($1, 1, $2)
			ON CONFLICT (account) DO UPDATE SET
				failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 ELSE login_failures.failures + 1 END,
				last_failure_at = excluded.last_failure_at
			RETURNING failures`, key, database.TimeArg(now), database.TimeArg(now.Add(-failureMemory))).Scan(&failures)
		if err != nil {
			return err
		}
		if d := lockDuration(failures); d > 0 {
			locked = now.Add(d)
			if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = $2 WHERE account = $1`, key, database.TimeArg(locked)); err != nil {
				return err
			}
		}
		e := audit.Entry{Actor: audit.Anonymous(client.IP), Action: "signin.failed", Note: what}
		if userID != 0 {
			e.ObjectType, e.ObjectID = "user", audit.ObjectID(userID)
		}
		if !locked.IsZero() {
			e.After = map[string]any{"failures": failures, "locked_until": database.TimeArg(locked)}
		}
		return s.audit.Record(ctx, tx, e)
	})
	if err != nil {
		return err
	}
	if !locked.IsZero() {
		return &LockedError{Until: locked}
	}
	return ErrBadCredentials
}

// clearFailures forgets an account name's failures after a success.
func clearFailures(ctx context.Context, tx *sql.Tx, key string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE account = $1`, key)
	return err
}
