package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// User is an account as administrators and account pages see it. The NIK
// appears only masked; Phone is the full E.164 number (mask it with
// idnum.MaskPhone in lists).
type User struct {
	ID                                                               int64
	Kind                                                             Kind
	Username, Phone, Name, Email, UnitCode, KelurahanCode, NIKMasked string
	Roles                                                            []string
	TOTPEnabled, Disabled                                            bool
	LockedUntil, CreatedAt, LastLoginAt                              time.Time
	// DeletedAt is set on a de-identified (deleted) citizen account.
	DeletedAt time.Time
}

// UserFilter selects users for ListUsers. Query matches a username or
// name (substring, any case), a mobile number or a NIK (exact, through the
// blind index: send it in a POST body, never in a URL). Pages continue
// after AfterID (ascending ids).
type UserFilter struct {
	Query, UnitCode, Role string
	Kind                  Kind
	Limit                 int
	AfterID               int64
}

// NewStaff is a staff account to create.
type NewStaff struct {
	Username, Name, Email, UnitCode, Password string
	Roles                                     []string
}

// StaffUpdate is the new state of a staff account's editable fields.
type StaffUpdate struct {
	Name, Email, UnitCode string
	Roles                 []string
	Disabled              bool
}

const userColumns = `u.id, u.kind, u.username, u.phone, u.name, u.email, u.unit_code, u.kelurahan_code, u.nik_masked,
	u.totp_enabled, u.disabled, u.created_at, u.last_login_at, u.deleted_at`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var kind string
	var username, phone, unit sql.NullString
	err := sc.Scan(&u.ID, &kind, &username, &phone, &u.Name, &u.Email, &unit, &u.KelurahanCode, &u.NIKMasked,
		&u.TOTPEnabled, &u.Disabled, database.T(&u.CreatedAt), database.T(&u.LastLoginAt), database.T(&u.DeletedAt))
	u.Kind, u.Username, u.Phone, u.UnitCode = Kind(kind), username.String, phone.String, unit.String
	return u, err
}

// manageScope returns the units whose users the actor may manage: all
// (city-wide users.manage, citizens included) or a list of unit codes.
func (s *Service) manageScope(ctx context.Context, actor *Principal) (all bool, codes []string, tree *units.Tree, err error) {
	tree, err = s.units.Tree(ctx)
	if err != nil {
		return false, nil, nil, err
	}
	if actor.CityWide("users.manage") {
		return true, nil, tree, nil
	}
	for _, u := range tree.All() {
		if actor.Can("users.manage", u.Code, tree) {
			codes = append(codes, u.Code)
		}
	}
	if len(codes) == 0 {
		return false, nil, nil, ErrForbidden
	}
	return false, codes, tree, nil
}

// ListUsers lists the accounts in the actor's users.manage scope (for a
// unit administrator: staff of their unit and the units below it; for a
// city administrator: everyone, citizens included), by ascending id.
// Deleted accounts are left out.
func (s *Service) ListUsers(ctx context.Context, actor *Principal, f UserFilter) ([]User, error) {
	all, codes, _, err := s.manageScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where = append(where, "u.deleted_at IS NULL")
	if !all {
		ph := make([]string, len(codes))
		for i, c := range codes {
			ph[i] = arg(c)
		}
		where = append(where, "u.kind = 'staff' AND u.unit_code IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Kind != "" {
		where = append(where, "u.kind = "+arg(string(f.Kind)))
	}
	if f.UnitCode != "" {
		where = append(where, "u.unit_code = "+arg(f.UnitCode))
	}
	if f.Role != "" {
		where = append(where, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role_code = "+arg(f.Role)+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds := []string{}
		if phone, err := idnum.NormalizePhone(q); err == nil {
			conds = append(conds, "u.phone = "+arg(phone))
		}
		if nik, err := idnum.ParseNIK(q, s.clock.Now()); err == nil {
			conds = append(conds, "u.nik_index = "+arg(s.sealer.BlindIndex(nik.Digits())))
		}
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		p := arg(like)
		conds = append(conds, "LOWER(COALESCE(u.username, '')) LIKE "+p+` ESCAPE '\'`, "LOWER(u.name) LIKE "+p+` ESCAPE '\'`)
		where = append(where, "("+strings.Join(conds, " OR ")+")")
	}
	if f.AfterID > 0 {
		where = append(where, "u.id > "+arg(f.AfterID))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users u WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(" ORDER BY u.id LIMIT %d", limit), args...)
	if err != nil {
		return nil, err
	}
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.decorate(ctx, out)
}

// decorate adds roles and lock-outs to listed users (two queries for the
// page rather than two per user).
func (s *Service) decorate(ctx context.Context, us []User) error {
	if len(us) == 0 {
		return nil
	}
	byID := map[int64]*User{}
	ids := make([]any, len(us))
	ph := make([]string, len(us))
	for i := range us {
		byID[us[i].ID] = &us[i]
		ids[i] = us[i].ID
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, role_code FROM user_roles WHERE user_id IN (`+strings.Join(ph, ", ")+`) ORDER BY role_code`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			rows.Close()
			return err
		}
		byID[id].Roles = append(byID[id].Roles, role)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	keys := map[string]*User{}
	var keyArgs []any
	var keyPh []string
	for i := range us {
		if us[i].Username != "" {
			k := s.lockKey(us[i].Username)
			keys[k] = &us[i]
			keyArgs = append(keyArgs, k)
			keyPh = append(keyPh, fmt.Sprintf("$%d", len(keyArgs)+1))
		}
	}
	if len(keyArgs) == 0 {
		return nil
	}
	now := s.clock.Now()
	rows, err = s.db.QueryContext(ctx, `SELECT account, locked_until FROM login_failures WHERE locked_until > $1 AND account IN (`+
		strings.Join(keyPh, ", ")+`)`, append([]any{database.TimeArg(now)}, keyArgs...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var until time.Time
		if err := rows.Scan(&k, database.T(&until)); err != nil {
			return err
		}
		keys[k].LockedUntil = until
	}
	return rows.Err()
}

func (s *Service) loadUser(ctx context.Context, q database.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	us := []User{u}
	if err := s.decorate(ctx, us); err != nil {
		return User{}, err
	}
	return us[0], nil
}

// mayManage reports whether actor (nil: the command line) may manage the
// account u.
func mayManage(actor *Principal, u User, tree *units.Tree) bool {
	if actor == nil {
		return true
	}
	if u.Kind != Staff {
		return actor.CityWide("users.manage")
	}
	return actor.Can("users.manage", u.UnitCode, tree)
}

// GetUser returns one account the actor may manage.
func (s *Service) GetUser(ctx context.Context, actor *Principal, id int64) (User, error) {
	tree, err := s.units.Tree(ctx)
	if err != nil {
		return User{}, err
	}
	u, err := s.loadUser(ctx, s.db, id)
	if err != nil {
		return User{}, err
	}
	if !mayManage(actor, u, tree) {
		return User{}, ErrForbidden
	}
	return u, nil
}
