package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// staffLogin is what sign-in needs to know about a staff account.
type staffLogin struct {
	id           int64
	username     string
	hash         string
	totpSecret   string
	totpEnabled  bool
	totpLastStep int64
	disabled     bool
	admin        bool
}

// checkPassword verifies a staff member's name and password, with the
// lock-out and the hashing semaphore around it. An unknown name is
// verified against a dummy hash, so it takes as long as a known one and
// locks like one. On success the failures are cleared and a hash with old
// parameters is replaced.
func (s *Service) checkPassword(ctx context.Context, username, password string, client ClientInfo, what string) (staffLogin, error) {
	username = normalizeUsername(username)
	key := s.lockKey(username)
	if until, err := s.lockedUntil(ctx, key); err != nil {
		return staffLogin{}, err
	} else if !until.IsZero() {
		return staffLogin{}, &LockedError{Until: until}
	}
	acc, found, err := s.loadStaffLogin(ctx, s.db, `username = $1`, username)
	if err != nil {
		return staffLogin{}, err
	}
	release, err := s.acquireHashSlot(ctx)
	if err != nil {
		return staffLogin{}, err
	}
	hash := s.dummy()
	if found {
		hash = acc.hash
	}
	ok, rehash, verr := credential.VerifyWith(password, hash, s.opts.PasswordParams)
	release()
	if verr != nil && found && !errors.Is(verr, credential.ErrPasswordEmpty) && !errors.Is(verr, credential.ErrPasswordTooLong) {
		s.log.Error("stored password hash unusable", "user_id", acc.id, "err", verr)
	}
	if !found || !ok || verr != nil || acc.disabled {
		return staffLogin{}, s.recordFailure(ctx, key, acc.id, client, what)
	}
	if rehash {
		if err := s.rehash(ctx, acc.id, password); err != nil {
			s.log.Warn("password rehash failed", "user_id", acc.id, "err", err)
		}
	}
	return acc, nil
}

func (s *Service) rehash(ctx context.Context, userID int64, password string) error {
	release, err := s.acquireHashSlot(ctx)
	if err != nil {
		return err
	}
	h, err := credential.Hash(password, s.opts.PasswordParams)
	release()
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, h)
	return err
}

func (s *Service) loadStaffLogin(ctx context.Context, q database.Querier, where string, arg any) (staffLogin, bool, error) {
	var acc staffLogin
	var username sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, username, password_hash, totp_secret, totp_enabled, totp_last_step, disabled,
			EXISTS (SELECT 1 FROM user_roles WHERE user_id = users.id AND role_code = 'admin')
		FROM users WHERE kind = 'staff' AND deleted_at IS NULL AND `+where, arg).
		Scan(&acc.id, &username, &acc.hash, &acc.totpSecret, &acc.totpEnabled, &acc.totpLastStep, &acc.disabled, &acc.admin)
	if errors.Is(err, sql.ErrNoRows) {
		return staffLogin{}, false, nil
	}
	acc.username = username.String
	return acc, err == nil, err
}

// mfaFor decides the step after a correct password.
func (s *Service) mfaFor(acc staffLogin) MFAState {
	switch {
	case acc.totpEnabled:
		return MFAVerify
	case acc.admin && !s.opts.WaiveAdminTOTP:
		return MFAEnrol
	}
	return MFANone
}

// SignIn checks a staff member's username and password and opens a web
// session. When the account has a second factor, or is an administrator
// who must enrol one, the session is half-open (Session.MFA) and only
// good for the TOTP step. previousToken is the browser's current session
// cookie, if any: it is dropped (rotation).
//
// Failures: ErrBadCredentials (whatever was wrong), *LockedError.
func (s *Service) SignIn(ctx context.Context, username, password, previousToken string, client ClientInfo) (Session, error) {
	acc, err := s.checkPassword(ctx, username, password, client, "password")
	if err != nil {
		return Session{}, err
	}
	mfa := s.mfaFor(acc)
	var sess Session
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := clearFailures(ctx, tx, s.lockKey(acc.username)); err != nil {
			return err
		}
		var err error
		if sess, err = s.openSession(ctx, tx, acc.id, Staff, mfa, previousToken, client); err != nil {
			return err
		}
		if mfa != MFANone {
			return nil
		}
		return s.signedIn(ctx, tx, acc.id, acc.username, client, "password")
	})
	s.forgetToken(previousToken)
	return sess, err
}

// signedIn records a completed sign-in.
func (s *Service) signedIn(ctx context.Context, tx *sql.Tx, userID int64, username string, client ClientInfo, how string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, userID, database.TimeArg(s.clock.Now())); err != nil {
		return err
	}
	actor := audit.Actor{Kind: audit.ActorUser, ID: userID, Name: username, IP: client.IP}
	if username == "" {
		actor.Name = citizenLabel(userID)
	}
	return s.audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "signin.succeeded", ObjectType: "user",
		ObjectID: audit.ObjectID(userID), Note: how})
}

// CompleteTOTP finishes a half-open session with a TOTP code and rotates
// it into a full session. A code is accepted once only (replay guard).
// Failures: ErrNotFound (no half-open session: start again),
// ErrBadCredentials, *LockedError.
func (s *Service) CompleteTOTP(ctx context.Context, pendingToken, code string, client ClientInfo) (Session, error) {
	hash := credential.HashToken(pendingToken)
	var userID int64
	var expires time.Time
	err := s.db.QueryRowContext(ctx, `SELECT user_id, expires_at FROM sessions WHERE token_hash = $1 AND mfa_state = $2`,
		hash, string(MFAVerify)).Scan(&userID, database.T(&expires))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.clock.Now().Before(expires)) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, err
	}
	acc, found, err := s.loadStaffLogin(ctx, s.db, `id = $1`, userID)
	if err != nil {
		return Session{}, err
	}
	if !found || acc.disabled || !acc.totpEnabled {
		return Session{}, ErrNotFound
	}
	key := s.lockKey(acc.username)
	if until, err := s.lockedUntil(ctx, key); err != nil {
		return Session{}, err
	} else if !until.IsZero() {
		return Session{}, &LockedError{Until: until}
	}
	step, ok := s.verifyTOTP(acc, code)
	if !ok {
		return Session{}, s.recordFailure(ctx, key, acc.id, client, "totp")
	}
	var sess Session
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if used, err := s.claimTOTPStep(ctx, tx, acc.id, step); err != nil || used {
			if used {
				return ErrBadCredentials
			}
			return err
		}
		if err := clearFailures(ctx, tx, key); err != nil {
			return err
		}
		var err error
		if sess, err = s.openSession(ctx, tx, acc.id, Staff, MFANone, pendingToken, client); err != nil {
			return err
		}
		return s.signedIn(ctx, tx, acc.id, acc.username, client, "password+totp")
	})
	s.forgetToken(pendingToken)
	if errors.Is(err, ErrBadCredentials) {
		// A replayed code: count it like any wrong code.
		return Session{}, s.recordFailure(ctx, key, acc.id, client, "totp replay")
	}
	return sess, err
}

// LoginAPI checks credentials for the JSON API and issues a bearer token
// (returned once; only its hash is stored). Accounts with TOTP must send
// the current code. Failures: ErrBadCredentials, *LockedError,
// ErrTOTPRequired, ErrTOTPEnrolmentRequired.
func (s *Service) LoginAPI(ctx context.Context, username, password, totpCode string, client ClientInfo) (token string, expires time.Time, err error) {
	acc, err := s.checkPassword(ctx, username, password, client, "api password")
	if err != nil {
		return "", time.Time{}, err
	}
	var step int64
	switch s.mfaFor(acc) {
	case MFAEnrol:
		return "", time.Time{}, ErrTOTPEnrolmentRequired
	case MFAVerify:
		if totpCode == "" {
			return "", time.Time{}, ErrTOTPRequired
		}
		var ok bool
		if step, ok = s.verifyTOTP(acc, totpCode); !ok {
			return "", time.Time{}, s.recordFailure(ctx, s.lockKey(acc.username), acc.id, client, "api totp")
		}
	}
	now := s.clock.Now()
	expires = now.Add(s.opts.TokenLifetime)
	plain, hash := credential.NewToken(credential.PrefixAPI)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if step != 0 {
			if used, err := s.claimTOTPStep(ctx, tx, acc.id, step); err != nil || used {
				if used {
					return ErrBadCredentials
				}
				return err
			}
		}
		if err := clearFailures(ctx, tx, s.lockKey(acc.username)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)`,
			hash, acc.id, database.TimeArg(now), database.TimeArg(expires), client.IP); err != nil {
			return err
		}
		return s.signedIn(ctx, tx, acc.id, acc.username, client, "api")
	})
	if errors.Is(err, ErrBadCredentials) {
		return "", time.Time{}, s.recordFailure(ctx, s.lockKey(acc.username), acc.id, client, "api totp replay")
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return plain, expires, nil
}
