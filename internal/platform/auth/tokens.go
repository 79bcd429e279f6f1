package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// BearerPrincipal resolves an Authorization: Bearer credential
// (web.Authenticator): an API token from POST /api/v1/auth/login
// (credential.PrefixAPI) or an integration's API key (KeyPrefix). The
// prefix says which table to look in. (nil, nil) means not valid.
func (s *Service) BearerPrincipal(ctx context.Context, token string) (*Principal, error) {
	switch {
	case strings.HasPrefix(token, credential.PrefixAPI):
		return s.tokenPrincipal(ctx, token)
	case strings.HasPrefix(token, KeyPrefix):
		return s.keyPrincipal(ctx, token)
	}
	return nil, nil
}

func (s *Service) tokenPrincipal(ctx context.Context, token string) (*Principal, error) {
	hash := credential.HashToken(token)
	now := s.clock.Now()
	if e := s.cache.get(hash, now); e != nil {
		s.touch(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1`, hash, e, now)
		return e.p, nil
	}
	gen := s.cache.generation()
	var (
		userID            int64
		expires, lastUsed time.Time
		revoked           sql.NullString
		kind, name        string
		username, unit    sql.NullString
		disabled, deleted bool
	)
	err := s.db.QueryRowContext(ctx, `SELECT t.user_id, t.expires_at, t.last_used_at, t.revoked_at,
			u.kind, u.username, u.name, u.unit_code, u.disabled, u.deleted_at IS NOT NULL
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, hash).
		Scan(&userID, database.T(&expires), database.T(&lastUsed), &revoked, &kind, &username, &name, &unit, &disabled, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if revoked.Valid || disabled || deleted || !now.Before(expires) {
		return nil, nil
	}
	p := &Principal{Kind: Kind(kind), UserID: userID, Username: username.String, Name: name, UnitCode: unit.String}
	if p.Roles, p.Grants, err = userGrants(ctx, s.db, userID); err != nil {
		return nil, err
	}
	e := &cacheEntry{p: p, userID: userID, loadedAt: now, expiresAt: expires, lastSeen: lastUsed}
	s.cache.put(hash, e, now, gen)
	s.touch(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1`, hash, e, now)
	return p, nil
}

// touch records use of a token or key at most once a minute.
func (s *Service) touch(ctx context.Context, query, hash string, e *cacheEntry, now time.Time) {
	if now.Sub(e.lastSeen) < touchEvery {
		return
	}
	if _, err := s.db.ExecContext(ctx, query, hash, database.TimeArg(now)); err != nil {
		s.log.Warn("last-used update failed", "err", err)
		return
	}
	s.cache.touched(hash, now)
}

// RevokeToken revokes the API token presented by the principal (POST
// /api/v1/auth/logout). Revoking an unknown or revoked token is not an
// error.
func (s *Service) RevokeToken(ctx context.Context, p *Principal, token string, client ClientInfo) error {
	if !strings.HasPrefix(token, credential.PrefixAPI) {
		return ErrNotFound
	}
	hash := credential.HashToken(token)
	defer s.forgetToken(token)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id`,
			hash, database.TimeArg(s.clock.Now())).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "token.revoked", ObjectType: "api_token",
			ObjectID: audit.ObjectID(id)})
	})
}
