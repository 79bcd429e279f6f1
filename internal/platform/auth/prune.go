package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Retention of spent credentials. Expired sessions and one-time codes are
// of no use to anyone; revoked and expired API tokens are kept a month so
// an administrator can still see when a token was last used.
const (
	otpRetention   = 24 * time.Hour
	tokenRetention = 30 * 24 * time.Hour
)

// Prune deletes expired sessions, spent one-time codes, old API tokens and
// forgotten sign-in failures, and returns how many rows went. A periodic
// job runs it; it is safe on several servers at once.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	now := s.clock.Now()
	staffIdle := database.TimeArg(now.Add(-s.opts.StaffIdle))
	citizenIdle := database.TimeArg(now.Add(-s.opts.CitizenIdle))
	stmts := []struct {
		q    string
		args []any
	}{
		{`DELETE FROM sessions WHERE expires_at <= $1
			OR (mfa_state = '' AND last_seen_at <= $2 AND user_id IN (SELECT id FROM users WHERE kind = 'staff'))
			OR (mfa_state = '' AND last_seen_at <= $3 AND user_id IN (SELECT id FROM users WHERE kind <> 'staff'))`,
			[]any{database.TimeArg(now), staffIdle, citizenIdle}},
		{`DELETE FROM otp_challenges WHERE created_at <= $1`, []any{database.TimeArg(now.Add(-otpRetention))}},
		{`DELETE FROM api_tokens WHERE expires_at <= $1 OR revoked_at <= $1`, []any{database.TimeArg(now.Add(-tokenRetention))}},
		{`DELETE FROM login_failures WHERE last_failure_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)`,
			[]any{database.TimeArg(now.Add(-failureMemory)), database.TimeArg(now)}},
	}
	var total int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, st := range stmts {
			res, err := tx.ExecContext(ctx, st.q, st.args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}
