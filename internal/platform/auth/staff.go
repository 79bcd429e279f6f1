package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

// usernamePattern: lower case, digits, '.', '_', '-'; names appear in
// URLs, the audit log and the command line.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// checkRoles validates the roles an actor gives a staff account. Only a
// city-wide roles.manage holder (or the command line) may grant admin.
func (s *Service) checkRoles(ctx context.Context, actor *Principal, roles []string) ([]string, error) {
	known, err := s.roleCodes(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range roles {
		r = strings.TrimSpace(r)
		if r == "" || slices.Contains(out, r) {
			continue
		}
		if !slices.Contains(known, r) || r == "citizen" {
			return nil, fieldErr("roles", "user.role_unknown")
		}
		if r == "admin" && actor != nil && !actor.CityWide("roles.manage") {
			return nil, fieldErr("roles", "user.role_not_grantable")
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fieldErr("roles", "user.role_required")
	}
	slices.Sort(out)
	return out, nil
}

func checkName(name string, required bool) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if required && name == "" {
		return "", fieldErr("name", "user.name_required")
	}
	if utf8.RuneCountInString(name) > 200 {
		return "", fieldErr("name", "user.name_too_long")
	}
	return name, nil
}

func checkEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", fieldErr("email", "user.email_invalid")
	}
	return email, nil
}

func checkPassword(pw string) error {
	var pe *credential.PolicyError
	if err := credential.CheckPasswordPolicy(pw); errors.As(err, &pe) {
		return fieldErr("password", "user."+string(pe.Code))
	} else if err != nil {
		return err
	}
	return nil
}

func (s *Service) hashPassword(ctx context.Context, pw string) (string, error) {
	release, err := s.acquireHashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return credential.Hash(pw, s.opts.PasswordParams)
}

// CreateStaff creates a staff account in a unit the actor manages (actor
// nil: the command line). Invalid input is a *FieldError.
func (s *Service) CreateStaff(ctx context.Context, actor *Principal, in NewStaff) (User, error) {
	username := normalizeUsername(in.Username)
	if !usernamePattern.MatchString(username) {
		return User{}, fieldErr("username", "user.username_invalid")
	}
	name, err := checkName(in.Name, false)
	if err != nil {
		return User{}, err
	}
	if name == "" {
		name = username
	}
	email, err := checkEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	tree, err := s.units.Tree(ctx)
	if err != nil {
		return User{}, err
	}
	if _, ok := tree.Get(in.UnitCode); !ok {
		return User{}, fieldErr("unit_code", "user.unit_unknown")
	}
	if actor != nil && !actor.Can("users.manage", in.UnitCode, tree) {
		return User{}, ErrForbidden
	}
	roles, err := s.checkRoles(ctx, actor, in.Roles)
	if err != nil {
		return User{}, err
	}
	if err := checkPassword(in.Password); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return User{}, err
	}
	now := database.TimeArg(s.clock.Now())
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (kind, username, name, email, unit_code, password_hash, password_changed_at, created_at, updated_at)
			VALUES ('staff', $1, $2, $3, $4, $5, $6, $6, $6) RETURNING id`, username, name, email, in.UnitCode, hash, now).Scan(&id)
		if database.IsUniqueViolation(err) {
			return fieldErr("username", "user.username_taken")
		}
		if err != nil {
			return err
		}
		if err := setRoles(ctx, tx, id, roles); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorOrSystem(actor, ""), Action: "user.created", ObjectType: "user",
			ObjectID: audit.ObjectID(id), After: map[string]any{"username": username, "name": name, "email": email,
				"unit_code": in.UnitCode, "roles": roles}})
	})
	if err != nil {
		return User{}, err
	}
	return s.loadUser(ctx, s.db, id)
}

func setRoles(ctx context.Context, tx *sql.Tx, userID int64, roles []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role_code) VALUES ($1, $2)`, userID, r); err != nil {
			return err
		}
	}
	return nil
}

// staffTarget loads a staff account the actor may manage; an account
// holding admin needs a city-wide roles.manage holder, so a unit
// administrator cannot disable or demote a city administrator.
func (s *Service) staffTarget(ctx context.Context, actor *Principal, id int64) (User, *units.Tree, error) {
	tree, err := s.units.Tree(ctx)
	if err != nil {
		return User{}, nil, err
	}
	u, err := s.loadUser(ctx, s.db, id)
	if err != nil {
		return User{}, nil, err
	}
	if u.Kind != Staff || !u.DeletedAt.IsZero() {
		return User{}, nil, ErrNotFound
	}
	if !mayManage(actor, u, tree) {
		return User{}, nil, ErrForbidden
	}
	if actor != nil && slices.Contains(u.Roles, "admin") && !actor.CityWide("roles.manage") {
		return User{}, nil, ErrForbidden
	}
	return u, tree, nil
}

// UpdateStaff changes a staff account. Moving it to another unit needs
// users.manage on both units. Disabling it, or changing its roles, ends
// its sessions and tokens at once on this server.
func (s *Service) UpdateStaff(ctx context.Context, actor *Principal, id int64, in StaffUpdate) error {
	u, tree, err := s.staffTarget(ctx, actor, id)
	if err != nil {
		return err
	}
	name, err := checkName(in.Name, true)
	if err != nil {
		return err
	}
	email, err := checkEmail(in.Email)
	if err != nil {
		return err
	}
	if _, ok := tree.Get(in.UnitCode); !ok {
		return fieldErr("unit_code", "user.unit_unknown")
	}
	if actor != nil && !actor.Can("users.manage", in.UnitCode, tree) {
		return ErrForbidden
	}
	roles, err := s.checkRoles(ctx, actor, in.Roles)
	if err != nil {
		return err
	}
	if in.Disabled && actor != nil && actor.UserID == id {
		return fieldErr("disabled", "user.cannot_disable_self")
	}
	rolesChanged := !slices.Equal(roles, u.Roles)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $2, email = $3, unit_code = $4, disabled = $5, updated_at = $6 WHERE id = $1`,
			id, name, email, in.UnitCode, in.Disabled, database.TimeArg(s.clock.Now())); err != nil {
			return err
		}
		act := actorOrSystem(actor, "")
		before := map[string]any{"name": u.Name, "email": u.Email, "unit_code": u.UnitCode, "disabled": u.Disabled}
		after := map[string]any{"name": name, "email": email, "unit_code": in.UnitCode, "disabled": in.Disabled}
		if err := s.audit.Record(ctx, tx, audit.Entry{Actor: act, Action: "user.updated", ObjectType: "user",
			ObjectID: audit.ObjectID(id), Before: before, After: after}); err != nil {
			return err
		}
		if rolesChanged {
			if err := setRoles(ctx, tx, id, roles); err != nil {
				return err
			}
			if err := s.audit.Record(ctx, tx, audit.Entry{Actor: act, Action: "user.roles_changed", ObjectType: "user",
				ObjectID: audit.ObjectID(id), Before: u.Roles, After: roles}); err != nil {
				return err
			}
		}
		if in.Disabled && !u.Disabled {
			if _, err := s.revokeAllCredentials(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(id)
	return nil
}

// ResetPassword sets a new password for a staff account the actor
// manages, ends its sessions, revokes its tokens and lifts a lock-out.
func (s *Service) ResetPassword(ctx context.Context, actor *Principal, id int64, newPassword string) error {
	u, _, err := s.staffTarget(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := checkPassword(newPassword); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, newPassword)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := database.TimeArg(s.clock.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1`,
			id, hash, now); err != nil {
			return err
		}
		n, err := s.revokeAllCredentials(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := clearFailures(ctx, tx, s.lockKey(u.Username)); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorOrSystem(actor, ""), Action: "user.password_reset", ObjectType: "user",
			ObjectID: audit.ObjectID(id), After: map[string]int64{"credentials_revoked": n}})
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(id)
	return nil
}

// Unlock lifts a lock-out after repeated sign-in failures.
func (s *Service) Unlock(ctx context.Context, actor *Principal, id int64) error {
	u, _, err := s.staffTarget(ctx, actor, id)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := clearFailures(ctx, tx, s.lockKey(u.Username)); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorOrSystem(actor, ""), Action: "user.unlocked", ObjectType: "user",
			ObjectID: audit.ObjectID(id)})
	})
}

// ResetTOTP removes a staff member's second factor (a lost phone), so
// they enrol again; an administrator is then asked to enrol at the next
// sign-in. Their sessions and tokens end.
func (s *Service) ResetTOTP(ctx context.Context, actor *Principal, id int64) error {
	if _, _, err := s.staffTarget(ctx, actor, id); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = FALSE, totp_secret = '', updated_at = $2 WHERE id = $1`,
			id, database.TimeArg(s.clock.Now())); err != nil {
			return err
		}
		if _, err := s.revokeAllCredentials(ctx, tx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: actorOrSystem(actor, ""), Action: "user.totp_reset", ObjectType: "user",
			ObjectID: audit.ObjectID(id)})
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(id)
	return nil
}

// CreateCitizen registers a citizen account for a mobile number without a
// code (demo data, an operator registering someone at a counter). actor
// nil means the system; otherwise it needs users.manage city-wide. An
// existing live account with the number is a *FieldError on "phone".
func (s *Service) CreateCitizen(ctx context.Context, actor *Principal, phoneInput, name string) (User, error) {
	if actor != nil && !actor.CityWide("users.manage") {
		return User{}, ErrForbidden
	}
	phone, err := NormalizePhone(phoneInput)
	if err != nil {
		return User{}, err
	}
	if name, err = checkName(name, false); err != nil {
		return User{}, err
	}
	now := database.TimeArg(s.clock.Now())
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (kind, phone, name, created_at, updated_at) VALUES ('citizen', $1, $2, $3, $3) RETURNING id`,
			phone, name, now).Scan(&id)
		if database.IsUniqueViolation(err) {
			return fieldErr("phone", "user.phone_taken")
		}
		if err != nil {
			return err
		}
		if err := setRoles(ctx, tx, id, []string{"citizen"}); err != nil {
			return err
		}
		act := actorOrSystem(actor, "")
		if actor == nil {
			act = audit.System("seed")
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: act, Action: "user.created", ObjectType: "user",
			ObjectID: audit.ObjectID(id), After: map[string]string{"kind": "citizen"}})
	})
	if err != nil {
		return User{}, err
	}
	return s.loadUser(ctx, s.db, id)
}
