package auth

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// KeyPrefix starts every API key, so a leaked key is recognisable (and
// secret scanners can find it) and BearerPrincipal knows where to look.
const KeyPrefix = "smk_key_"

// keyIDChars of the random part are kept as the key's visible prefix, so
// an administrator can tell keys apart without the secret.
const keyIDChars = 6

var keyScope = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,31}$`)

// APIKeyInfo describes a key without its secret.
type APIKeyInfo struct {
	ID                               int64
	Name, Prefix, CreatedBy          string
	Scopes                           []string
	CreatedAt, LastUsedAt, RevokedAt time.Time
}

// CreateAPIKey makes a key for an integration with the given scopes
// ("open311", "fhir", "pos", "gateway", "bank", …). The plain key is
// returned once and never stored. actor nil means the command line
// (audited as the system); otherwise it needs apikeys.manage city-wide.
func (s *Service) CreateAPIKey(ctx context.Context, actor *Principal, name string, scopes []string) (string, APIKeyInfo, error) {
	if actor != nil && !actor.CityWide("apikeys.manage") {
		return "", APIKeyInfo{}, ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return "", APIKeyInfo{}, fieldErr("name", "apikey.name_invalid")
	}
	var clean []string
	for _, sc := range scopes {
		sc = strings.TrimSpace(sc)
		if !keyScope.MatchString(sc) {
			return "", APIKeyInfo{}, fieldErr("scopes", "apikey.scope_invalid")
		}
		if !slices.Contains(clean, sc) {
			clean = append(clean, sc)
		}
	}
	if len(clean) == 0 {
		return "", APIKeyInfo{}, fieldErr("scopes", "apikey.scope_required")
	}
	slices.Sort(clean)
	plain, hash := credential.NewToken(KeyPrefix)
	now := s.clock.Now()
	info := APIKeyInfo{Name: name, Prefix: plain[:len(KeyPrefix)+keyIDChars], Scopes: clean, CreatedAt: now.UTC()}
	actorRec := actorOrSystem(actor, "")
	info.CreatedBy = actorRec.Name
	var createdByID any
	if actor != nil && actor.UserID != 0 {
		createdByID = actor.UserID
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by, created_by_user_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			name, info.Prefix, hash, strings.Join(clean, " "), info.CreatedBy, createdByID, database.TimeArg(now)).Scan(&info.ID)
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorRec, Action: "apikey.created", ObjectType: "api_key",
			ObjectID: audit.ObjectID(info.ID), After: map[string]any{"name": name, "prefix": info.Prefix, "scopes": clean}})
	})
	if err != nil {
		return "", APIKeyInfo{}, err
	}
	return plain, info, nil
}

// ListAPIKeys lists every key, newest first, revoked ones included.
func (s *Service) ListAPIKeys(ctx context.Context) ([]APIKeyInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, prefix, created_by, scopes, created_at, last_used_at, revoked_at
		FROM api_keys ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIKeyInfo
	for rows.Next() {
		var k APIKeyInfo
		var scopes string
		if err := rows.Scan(&k.ID, &k.Name, &k.Prefix, &k.CreatedBy, &scopes, database.T(&k.CreatedAt),
			database.T(&k.LastUsedAt), database.T(&k.RevokedAt)); err != nil {
			return nil, err
		}
		k.Scopes = strings.Fields(scopes)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes a key at once on this server (within CacheTTL on
// the others). actor nil means the command line. Revoking a revoked key
// is not an error.
func (s *Service) RevokeAPIKey(ctx context.Context, actor *Principal, id int64) error {
	if actor != nil && !actor.CityWide("apikeys.manage") {
		return ErrForbidden
	}
	var hash string
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT key_hash, revoked_at FROM api_keys WHERE id = $1`, id).Scan(&hash, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil || revoked.Valid {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1`, id, database.TimeArg(s.clock.Now())); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorOrSystem(actor, ""), Action: "apikey.revoked", ObjectType: "api_key",
			ObjectID: audit.ObjectID(id)})
	})
	if hash != "" {
		s.cache.forget(hash)
	}
	return err
}

// keyPrincipal resolves an API key. Its principal carries the key's
// scopes and no grants: keys reach only routes guarded by web.KeyScope.
func (s *Service) keyPrincipal(ctx context.Context, token string) (*Principal, error) {
	hash := credential.HashToken(token)
	now := s.clock.Now()
	const touchKey = `UPDATE api_keys SET last_used_at = $2 WHERE key_hash = $1`
	if e := s.cache.get(hash, now); e != nil {
		s.touch(ctx, touchKey, hash, e, now)
		return e.p, nil
	}
	gen := s.cache.generation()
	var id int64
	var name, scopes string
	var lastUsed time.Time
	var revoked sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, name, scopes, last_used_at, revoked_at FROM api_keys WHERE key_hash = $1`, hash).
		Scan(&id, &name, &scopes, database.T(&lastUsed), &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if revoked.Valid {
		return nil, nil
	}
	p := &Principal{Kind: APIKey, APIKeyID: id, Name: name, KeyScopes: strings.Fields(scopes)}
	// Keys do not expire on their own; the entry lives for the cache TTL.
	e := &cacheEntry{p: p, loadedAt: now, expiresAt: now.Add(100 * 365 * 24 * time.Hour), lastSeen: lastUsed}
	s.cache.put(hash, e, now, gen)
	s.touch(ctx, touchKey, hash, e, now)
	return p, nil
}
