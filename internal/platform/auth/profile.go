package auth

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
)

// Me returns the principal's own account.
func (s *Service) Me(ctx context.Context, p *Principal) (User, error) {
	if !p.Authenticated() || p.UserID == 0 {
		return User{}, ErrForbidden
	}
	return s.loadUser(ctx, s.db, p.UserID)
}

// ProfileUpdate is what a person may change about themselves. NIK is a
// new number ("" keeps the stored one; RemoveNIK clears it). BirthDate and
// Sex are asked for whenever a new NIK is entered and must agree with it
// (DOMAIN.md §2): a mistyped NIK that is still a valid number is caught
// that way. They are checked, not stored.
type ProfileUpdate struct {
	Name, Email, KelurahanCode string
	NIK                        string
	RemoveNIK                  bool
	BirthDate                  time.Time
	Sex                        idnum.Sex
}

// UpdateProfile changes the principal's own profile. Invalid input is a
// FieldErrors list (each error's Code is a message key: "user.nik_length",
// "user.nik_birthdate_mismatch" on field "birth_date", …).
func (s *Service) UpdateProfile(ctx context.Context, p *Principal, in ProfileUpdate, client ClientInfo) error {
	if !p.Authenticated() || p.UserID == 0 {
		return ErrForbidden
	}
	var errs FieldErrors
	add := func(err error) {
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	name, err := checkName(in.Name, false)
	add(err)
	email, err := checkEmail(in.Email)
	add(err)
	kel := strings.TrimSpace(in.KelurahanCode)
	if kel != "" && !s.isKelurahan(kel) {
		add(fieldErr("kelurahan_code", "user.kelurahan_unknown"))
	}
	var nik idnum.NIK
	nikInput := strings.TrimSpace(in.NIK)
	if nikInput != "" && !in.RemoveNIK {
		nik, err = idnum.ParseNIK(nikInput, s.clock.Now().In(s.location))
		if err != nil {
			add(fieldErr("nik", "user."+string(idnum.CodeOf(err))))
		} else {
			if in.BirthDate.IsZero() {
				add(fieldErr("birth_date", "user.birth_date_required"))
			}
			if in.Sex == idnum.SexUnknown {
				add(fieldErr("sex", "user.sex_required"))
			}
			for _, e := range idnum.Errors(idnum.CheckNIKAgainst(nik, in.BirthDate, in.Sex)) {
				add(fieldErr(e.Field, "user."+string(e.Code)))
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	var changed []string
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadUser(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		now := database.TimeArg(s.clock.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $2, email = $3, kelurahan_code = $4, updated_at = $5 WHERE id = $1`,
			p.UserID, name, email, kel, now); err != nil {
			return err
		}
		for _, c := range []struct {
			field    string
			old, new string
		}{{"name", cur.Name, name}, {"email", cur.Email, email}, {"kelurahan_code", cur.KelurahanCode, kel}} {
			if c.old != c.new {
				changed = append(changed, c.field)
			}
		}
		switch {
		case in.RemoveNIK && cur.NIKMasked != "":
			if _, err := tx.ExecContext(ctx, `UPDATE users SET nik_sealed = '', nik_index = NULL, nik_masked = '' WHERE id = $1`, p.UserID); err != nil {
				return err
			}
			changed = append(changed, "nik")
		case !nik.IsZero():
			sealed, err := s.sealer.Seal(nik.Digits())
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE users SET nik_sealed = $2, nik_index = $3, nik_masked = $4 WHERE id = $1`,
				p.UserID, sealed, s.sealer.BlindIndex(nik.Digits()), idnum.MaskNIK(nik.Digits()))
			if database.IsUniqueViolation(err) {
				return FieldErrors{{Field: "nik", Code: "user.nik_taken"}}
			}
			if err != nil {
				return err
			}
			changed = append(changed, "nik")
		}
		if len(changed) == 0 {
			return nil
		}
		// Which fields changed, not their values: the audit log is kept
		// for ever and a person's own details do not belong in it.
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.profile_changed", ObjectType: "user",
			ObjectID: audit.ObjectID(p.UserID), After: map[string][]string{"changed": changed}})
	})
	if err != nil {
		return err
	}
	if slices.Contains(changed, "name") {
		s.cache.forgetUser(p.UserID)
	}
	return nil
}

func (s *Service) isKelurahan(code string) bool {
	if s.regions == nil {
		return false
	}
	r, ok := s.regions.Lookup(code)
	return ok && r.Level == regions.LevelKelurahan
}

// RevealNIK returns the principal's own full NIK ("" when none) and
// records the read in the audit log, as every read of a full NIK is.
func (s *Service) RevealNIK(ctx context.Context, p *Principal, client ClientInfo) (string, error) {
	if !p.Authenticated() || p.UserID == 0 {
		return "", ErrForbidden
	}
	nik, err := s.openNIK(ctx, p.UserID)
	if err != nil || nik == "" {
		return "", err
	}
	if err := s.audit.RecordRead(ctx, ActorOf(p, client.IP), "user", audit.ObjectID(p.UserID), "nik"); err != nil {
		return "", err
	}
	return nik, nil
}

func (s *Service) openNIK(ctx context.Context, userID int64) (string, error) {
	var sealed string
	if err := s.db.QueryRowContext(ctx, `SELECT nik_sealed FROM users WHERE id = $1`, userID).Scan(&sealed); err != nil {
		return "", err
	}
	return s.sealer.Open(sealed)
}

// DeleteAccount de-identifies the principal's own citizen account: phone,
// name, e-mail, NIK and home kelurahan are cleared, the account is
// disabled and every session and token ends. The row stays, so reports
// and other records owned elsewhere keep pointing at it. Staff accounts
// are closed by an administrator instead (ErrForbidden).
func (s *Service) DeleteAccount(ctx context.Context, p *Principal, client ClientInfo) error {
	if !p.Authenticated() || p.Kind != Citizen || p.UserID == 0 {
		return ErrForbidden
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := database.TimeArg(s.clock.Now())
		res, err := tx.ExecContext(ctx, `UPDATE users SET phone = NULL, name = '', email = '', kelurahan_code = '',
				nik_sealed = '', nik_index = NULL, nik_masked = '', totp_secret = '', totp_enabled = FALSE,
				disabled = TRUE, deleted_at = $2, updated_at = $2
			WHERE id = $1 AND deleted_at IS NULL`, p.UserID, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := s.revokeAllCredentials(ctx, tx, p.UserID); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.deleted", ObjectType: "user",
			ObjectID: audit.ObjectID(p.UserID), Note: "de-identified at the person's request"})
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(p.UserID)
	return nil
}
