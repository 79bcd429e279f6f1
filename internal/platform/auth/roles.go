package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Role is a role with its current grants.
type Role struct {
	Code, Name string
	Grants     []Grant
}

// SeedRoles stores the seeded roles and the default grants modules
// declared. It runs at every start: a role that exists keeps its name, and
// a default grant is applied only the first time it is seen (see
// role_permission_seeds), so an administrator's changes survive while a
// permission added by a new release still reaches its default roles.
func (s *Service) SeedRoles(ctx context.Context) error {
	defs := s.perms.Roles()
	seeded := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT role_code, permission FROM role_permission_seeds`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var role, perm string
		if err := rows.Scan(&role, &perm); err != nil {
			rows.Close()
			return err
		}
		seeded[role+"\x00"+perm] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	existing, err := s.roleCodes(ctx)
	if err != nil {
		return err
	}
	var missingRoles []RoleDef
	var newGrants []string
	for _, d := range defs {
		if !slices.Contains(existing, d.Code) {
			missingRoles = append(missingRoles, d)
		}
		for _, g := range d.Grants {
			if !seeded[d.Code+"\x00"+g.Permission] {
				newGrants = append(newGrants, d.Code+":"+g.Permission+":"+string(g.Scope))
			}
		}
	}
	if len(missingRoles) == 0 && len(newGrants) == 0 {
		// The usual start: nothing to write, so no write lock is taken.
		return nil
	}
	now := database.TimeArg(s.clock.Now())
	// Principals resolved meanwhile carry the old grants.
	defer s.cache.flush()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range missingRoles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO roles (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`,
				d.Code, d.Name, now); err != nil {
				return err
			}
		}
		var applied []string
		for _, d := range defs {
			for _, g := range d.Grants {
				res, err := tx.ExecContext(ctx, `INSERT INTO role_permission_seeds (role_code, permission, seeded_at) VALUES ($1, $2, $3)
					ON CONFLICT (role_code, permission) DO NOTHING`, d.Code, g.Permission, now)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					continue // seeded before (perhaps by another server just now)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO role_permissions (role_code, permission, scope) VALUES ($1, $2, $3)
					ON CONFLICT (role_code, permission) DO NOTHING`, d.Code, g.Permission, string(g.Scope)); err != nil {
					return err
				}
				applied = append(applied, d.Code+":"+g.Permission+":"+string(g.Scope))
			}
		}
		if len(applied) == 0 && len(missingRoles) == 0 {
			return nil
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: audit.System("seed"), Action: "role.seeded", ObjectType: "role",
			After: map[string]any{"grants": applied}, Note: fmt.Sprintf("%d roles, %d default grants", len(missingRoles), len(applied))})
	})
}

func (s *Service) roleCodes(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code FROM roles`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListRoles returns every role with its grants, seeded roles first in
// their usual order.
func (s *Service) ListRoles(ctx context.Context) ([]Role, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.code, r.name, COALESCE(rp.permission, ''), COALESCE(rp.scope, '')
		FROM roles r LEFT JOIN role_permissions rp ON rp.role_code = r.code ORDER BY r.code, rp.permission`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Role
	for rows.Next() {
		var code, name, perm, scope string
		if err := rows.Scan(&code, &name, &perm, &scope); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, Role{Code: code, Name: name})
		}
		if perm != "" {
			r := &out[len(out)-1]
			r.Grants = append(r.Grants, Grant{Permission: perm, Scope: Scope(scope)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rank := map[string]int{}
	for i, r := range SeedRoles {
		rank[r.Code] = i + 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[out[i].Code], rank[out[j].Code]
		if ri == 0 {
			ri = len(SeedRoles) + 1
		}
		if rj == 0 {
			rj = len(SeedRoles) + 1
		}
		return ri < rj
	})
	return out, nil
}

// SetRoleGrants replaces a role's grants. It needs roles.manage for the
// whole city. An undeclared permission, a bad scope or a permission given
// twice is a *FieldError.
func (s *Service) SetRoleGrants(ctx context.Context, actor *Principal, role string, grants []Grant) error {
	if !actor.CityWide("roles.manage") {
		return ErrForbidden
	}
	seen := map[string]bool{}
	for _, g := range grants {
		switch {
		case !s.perms.Known(g.Permission):
			return fieldErr("permission", "role.permission_unknown")
		case !validScope(g.Scope):
			return fieldErr("scope", "role.scope_invalid")
		case seen[g.Permission]:
			return fieldErr("permission", "role.permission_twice")
		}
		seen[g.Permission] = true
	}
	sorted := slices.Clone(grants)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Permission < sorted[j].Permission })
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := roleGrants(ctx, tx, role)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM roles WHERE code = $1`, role).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM role_permissions WHERE role_code = $1`, role); err != nil {
			return err
		}
		for _, g := range sorted {
			if _, err := tx.ExecContext(ctx, `INSERT INTO role_permissions (role_code, permission, scope) VALUES ($1, $2, $3)`,
				role, g.Permission, string(g.Scope)); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(actor, ""), Action: "role.grants_changed", ObjectType: "role",
			ObjectID: role, Before: grantStrings(before), After: grantStrings(sorted)})
	})
	if err != nil {
		return err
	}
	// Every principal holding the role has stale grants now.
	s.cache.flush()
	return nil
}

func validScope(sc Scope) bool { return sc == ScopeUnit || sc == ScopeSubtree || sc == ScopeCity }

func roleGrants(ctx context.Context, q database.Querier, role string) ([]Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT permission, scope FROM role_permissions WHERE role_code = $1 ORDER BY permission`, role)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		var sc string
		if err := rows.Scan(&g.Permission, &sc); err != nil {
			return nil, err
		}
		g.Scope = Scope(sc)
		out = append(out, g)
	}
	return out, rows.Err()
}

func grantStrings(gs []Grant) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.Permission+":"+string(g.Scope))
	}
	return out
}

// userGrants loads an account's roles and the grants they carry.
func userGrants(ctx context.Context, q database.Querier, userID int64) ([]string, []Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT ur.role_code, COALESCE(rp.permission, ''), COALESCE(rp.scope, '')
		FROM user_roles ur LEFT JOIN role_permissions rp ON rp.role_code = ur.role_code
		WHERE ur.user_id = $1 ORDER BY ur.role_code, rp.permission`, userID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var roles []string
	var grants []Grant
	seen := map[Grant]bool{}
	for rows.Next() {
		var role, perm, scope string
		if err := rows.Scan(&role, &perm, &scope); err != nil {
			return nil, nil, err
		}
		if len(roles) == 0 || roles[len(roles)-1] != role {
			roles = append(roles, role)
		}
		g := Grant{Permission: perm, Scope: Scope(scope)}
		if perm != "" && !seen[g] {
			seen[g] = true
			grants = append(grants, g)
		}
	}
	return roles, grants, rows.Err()
}
