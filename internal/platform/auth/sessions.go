package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// MFAState says what a half-signed-in staff member still owes.
type MFAState string

const (
	MFANone   MFAState = ""       // a full session
	MFAVerify MFAState = "verify" // password done; a TOTP code is due
	MFAEnrol  MFAState = "enrol"  // an administrator must set up TOTP first
)

// Session is a newly issued web session. Token goes into the cookie (it
// is never stored); MaxAge is the cookie's lifetime in seconds.
type Session struct {
	Token     string
	ExpiresAt time.Time
	MaxAge    int
	MFA       MFAState
	UserID    int64
	// NewAccount is true when signing in created the (citizen) account.
	NewAccount bool
}

// touchEvery bounds last-seen writes to one per minute per session, token
// or key, instead of one per request.
const touchEvery = time.Minute

func (s *Service) lifetimes(kind Kind) (idle, absolute time.Duration) {
	if kind == Citizen {
		return s.opts.CitizenIdle, s.opts.CitizenAbsolute
	}
	return s.opts.StaffIdle, s.opts.StaffAbsolute
}

// openSession stores a new session for the account inside tx. Signing in
// always makes a new token (rotation), and the caller's previous session,
// if any, is deleted in the same transaction, so a token planted in a
// browser before sign-in is worthless after it. Callers call forgetToken
// for previousToken once the transaction has committed.
func (s *Service) openSession(ctx context.Context, tx *sql.Tx, userID int64, kind Kind, mfa MFAState, previousToken string, client ClientInfo) (Session, error) {
	if previousToken != "" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, credential.HashToken(previousToken)); err != nil {
			return Session{}, err
		}
	}
	plain, hash := credential.NewToken(credential.PrefixSession)
	now := s.clock.Now()
	_, absolute := s.lifetimes(kind)
	if mfa != MFANone {
		absolute = s.opts.MFALifetime
	}
	expires := now.Add(absolute)
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, mfa_state, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)`,
		hash, userID, randomToken(), string(mfa), database.TimeArg(now), database.TimeArg(expires), client.IP, client.userAgent())
	if err != nil {
		return Session{}, err
	}
	return Session{Token: plain, ExpiresAt: expires, MaxAge: int(absolute / time.Second), MFA: mfa, UserID: userID}, nil
}

// forgetToken drops a token from this server's cache. It is called after
// the change that ended the token has committed, so that a lookup racing
// the change cannot put the old state back (see principalCache.gen).
func (s *Service) forgetToken(token string) {
	if token != "" {
		s.cache.forget(credential.HashToken(token))
	}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SessionPrincipal resolves a session cookie (web.Authenticator). It
// answers (nil, nil) for an unknown, expired or revoked session, or one
// whose account was disabled or deleted. The principal must not be
// modified: it may be shared with other requests through the cache.
func (s *Service) SessionPrincipal(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, credential.PrefixSession) {
		return nil, nil
	}
	hash := credential.HashToken(token)
	now := s.clock.Now()
	if e := s.cache.get(hash, now); e != nil {
		s.touchSession(ctx, hash, e, now)
		return e.p, nil
	}
	gen := s.cache.generation()
	var (
		userID                int64
		csrf, mfa             string
		lastSeen, expires     time.Time
		kind, name            string
		username, unit, phone sql.NullString
		disabled, deleted     bool
	)
	err := s.db.QueryRowContext(ctx, `SELECT s.user_id, s.csrf_token, s.mfa_state, s.last_seen_at, s.expires_at,
			u.kind, u.username, u.name, u.unit_code, u.phone, u.disabled, u.deleted_at IS NOT NULL
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash).
		Scan(&userID, &csrf, &mfa, database.T(&lastSeen), database.T(&expires), &kind, &username, &name, &unit, &phone, &disabled, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if disabled || deleted {
		return nil, nil
	}
	idle, _ := s.lifetimes(Kind(kind))
	if mfa != "" {
		idle = 0 // bounded by its short absolute lifetime instead
	}
	e := &cacheEntry{userID: userID, loadedAt: now, expiresAt: expires, idle: idle, lastSeen: lastSeen}
	if !e.valid(now) {
		return nil, nil
	}
	p := &Principal{Kind: Kind(kind), UserID: userID, Username: username.String, Name: name, UnitCode: unit.String,
		SessionID: hash, CSRFToken: csrf, MFAPending: mfa != ""}
	if mfa == "" {
		if p.Roles, p.Grants, err = userGrants(ctx, s.db, userID); err != nil {
			return nil, err
		}
	}
	e.p = p
	s.cache.put(hash, e, now, gen)
	s.touchSession(ctx, hash, e, now)
	return p, nil
}

// touchSession moves last_seen_at forward at most once a minute, which is
// all the idle expiry needs.
func (s *Service) touchSession(ctx context.Context, hash string, e *cacheEntry, now time.Time) {
	if now.Sub(e.lastSeen) < touchEvery {
		return
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, hash, database.TimeArg(now)); err != nil {
		s.log.Warn("session last-seen update failed", "err", err)
		return
	}
	s.cache.touched(hash, now)
}

// PendingMFA reports what a half-signed-in principal still owes
// (MFANone for a full session or no session).
func (s *Service) PendingMFA(ctx context.Context, p *Principal) (MFAState, error) {
	if p == nil || !p.MFAPending || p.SessionID == "" {
		return MFANone, nil
	}
	var state string
	err := s.db.QueryRowContext(ctx, `SELECT mfa_state FROM sessions WHERE token_hash = $1`, p.SessionID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return MFANone, nil
	}
	return MFAState(state), err
}

// SignOut ends the session of a cookie token. Signing out an unknown
// session is not an error.
func (s *Service) SignOut(ctx context.Context, token string, client ClientInfo) error {
	if token == "" {
		return nil
	}
	hash := credential.HashToken(token)
	defer s.forgetToken(token)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var userID int64
		var kind string
		var username sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT s.user_id, u.kind, u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash).
			Scan(&userID, &kind, &username)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
			return err
		}
		actor := ActorOf(&Principal{Kind: Kind(kind), UserID: userID, Username: username.String}, client.IP)
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "session.signed_out", ObjectType: "user", ObjectID: audit.ObjectID(userID)})
	})
}

// SignOutEverywhere ends every session and revokes every API token of the
// principal's account, this browser's included.
func (s *Service) SignOutEverywhere(ctx context.Context, p *Principal, client ClientInfo) error {
	if !p.Authenticated() || p.UserID == 0 {
		return ErrForbidden
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := s.revokeAllCredentials(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "session.signed_out_everywhere",
			ObjectType: "user", ObjectID: audit.ObjectID(p.UserID), After: map[string]int64{"ended": n}})
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(p.UserID)
	return nil
}

// revokeAllCredentials deletes an account's sessions and revokes its API
// tokens inside tx, returning how many there were. Callers drop the
// account from the cache after commit.
func (s *Service) revokeAllCredentials(ctx context.Context, tx *sql.Tx, userID int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	res, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
		userID, database.TimeArg(s.clock.Now()))
	if err != nil {
		return 0, err
	}
	m, _ := res.RowsAffected()
	return n + m, nil
}

// SessionInfo describes one active session for the account page.
type SessionInfo struct {
	CreatedAt, LastSeenAt, ExpiresAt time.Time
	IP, UserAgent                    string
	Current                          bool
}

// ListSessions returns the principal's active sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, p *Principal) ([]SessionInfo, error) {
	if !p.Authenticated() || p.UserID == 0 {
		return nil, ErrForbidden
	}
	now := s.clock.Now()
	idle, _ := s.lifetimes(p.Kind)
	rows, err := s.db.QueryContext(ctx, `SELECT token_hash, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions
		WHERE user_id = $1 AND mfa_state = '' AND expires_at > $2 AND last_seen_at > $3 ORDER BY created_at DESC`,
		p.UserID, database.TimeArg(now), database.TimeArg(now.Add(-idle)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SessionInfo
	for rows.Next() {
		var hash string
		var si SessionInfo
		if err := rows.Scan(&hash, database.T(&si.CreatedAt), database.T(&si.LastSeenAt), database.T(&si.ExpiresAt), &si.IP, &si.UserAgent); err != nil {
			return nil, err
		}
		si.Current = hash == p.SessionID
		out = append(out, si)
	}
	return out, rows.Err()
}
