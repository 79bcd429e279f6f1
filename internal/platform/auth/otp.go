package auth

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/idnum"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
)

// One-time code policy for citizens. A 6-digit code has a million values:
// five tries on a five-minute code, and at most five codes an hour per
// number, keep guessing hopeless (25 guesses an hour).
const (
	otpLifetime    = 5 * time.Minute
	otpMaxAttempts = 5
	otpResendAfter = time.Minute
	otpPerHour     = 5
)

// OTPWrongError is a wrong code with tries left on it; errors.Is(err,
// ErrOTPWrong) matches it.
type OTPWrongError struct{ Remaining int }

func (e *OTPWrongError) Error() string {
	return fmt.Sprintf("auth: wrong code (%d tries left)", e.Remaining)
}

// Is makes errors.Is(err, ErrOTPWrong) true.
func (e *OTPWrongError) Is(target error) bool { return target == ErrOTPWrong }

// NormalizePhone checks a mobile number as typed and returns it in E.164
// form, or a *FieldError on "phone" whose code names what is wrong
// ("user.phone_not_mobile", …).
func NormalizePhone(input string) (string, error) {
	phone, err := idnum.NormalizePhone(input)
	if err != nil {
		return "", fieldErr("phone", "user."+string(idnum.CodeOf(err)))
	}
	return phone, nil
}

func (s *Service) phoneKey(phone string) string { return s.sealer.BlindIndex("phone:" + phone) }

func (s *Service) otpHash(phone, code string) string {
	return s.sealer.BlindIndex("otp:" + phone + ":" + code)
}

// RequestOTP sends a sign-in code to a citizen's mobile number (account
// or not: verifying the code creates the account) and returns the number
// in E.164 form. The code is stored only as a keyed digest and sent
// through the notification queue in the same transaction, so it is sent
// exactly when it is valid. A new code voids earlier ones.
//
// Failures: *FieldError on "phone", *ThrottledError (one code a minute,
// five an hour per number).
func (s *Service) RequestOTP(ctx context.Context, phoneInput string, locale i18n.Locale, client ClientInfo) (string, error) {
	phone, err := NormalizePhone(phoneInput)
	if err != nil {
		return "", err
	}
	key := s.phoneKey(phone)
	now := s.clock.Now()
	code := credential.NewOTPCode()
	msg := notify.Message{Channel: s.opts.OTPChannel, To: phone, Locale: string(locale), Tag: "otp",
		Body: s.catalog.T(locale, "otp.message", code, int(otpLifetime/time.Minute))}
	var throttled error
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT created_at FROM otp_challenges WHERE phone_key = $1 AND created_at > $2 ORDER BY id`,
			key, database.TimeArg(now.Add(-time.Hour)))
		if err != nil {
			return err
		}
		var recent []time.Time
		for rows.Next() {
			var t time.Time
			if err := rows.Scan(database.T(&t)); err != nil {
				rows.Close()
				return err
			}
			recent = append(recent, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n := len(recent); n > 0 {
			if wait := recent[n-1].Add(otpResendAfter).Sub(now); wait > 0 {
				throttled = &ThrottledError{Wait: wait}
				return nil
			}
			if n >= otpPerHour {
				throttled = &ThrottledError{Wait: recent[n-otpPerHour].Add(time.Hour).Sub(now)}
				return nil
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE otp_challenges SET expires_at = $2 WHERE phone_key = $1 AND used_at IS NULL AND expires_at > $2`,
			key, database.TimeArg(now)); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO otp_challenges (phone_key, code_hash, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			key, s.otpHash(phone, code), database.TimeArg(now), database.TimeArg(now.Add(otpLifetime)), client.IP).Scan(&id); err != nil {
			return err
		}
		if _, err := s.notifier.NotifyTx(ctx, tx, msg); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: audit.Anonymous(client.IP), Action: "otp.requested", ObjectType: "otp",
			ObjectID: audit.ObjectID(id), Note: idnum.MaskPhone(phone)})
	})
	if err != nil {
		return "", err
	}
	if throttled != nil {
		return "", throttled
	}
	return phone, nil
}

// VerifyOTP checks a citizen's code and signs them in, creating the
// account on first use (Session.NewAccount). A code works once, for five
// minutes, with five tries; previousToken is the browser's current
// session, which is dropped.
//
// Failures: *FieldError ("phone", or "code" when it is not six digits),
// ErrOTPExpired (no live code: request one), *OTPWrongError,
// ErrOTPTooManyTries, ErrForbidden (account disabled).
func (s *Service) VerifyOTP(ctx context.Context, phoneInput, code, previousToken string, client ClientInfo) (Session, error) {
	phone, err := NormalizePhone(phoneInput)
	if err != nil {
		return Session{}, err
	}
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return Session{}, fieldErr("code", "otp.code_format")
	}
	key := s.phoneKey(phone)
	now := s.clock.Now()
	var sess Session
	var outcome error
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var hash string
		var attempts int
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT id, code_hash, attempts, expires_at FROM otp_challenges
			WHERE phone_key = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1`, key).Scan(&id, &hash, &attempts, database.T(&expires))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !now.Before(expires)) {
			outcome = ErrOTPExpired
			return nil
		}
		if err != nil {
			return err
		}
		if attempts >= otpMaxAttempts {
			outcome = ErrOTPTooManyTries
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(hash), []byte(s.otpHash(phone, code))) != 1 {
			// The failed try is committed (outcome, not an error, so the
			// transaction is not rolled back).
			res, err := tx.ExecContext(ctx, `UPDATE otp_challenges SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2`, id, otpMaxAttempts)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				outcome = ErrOTPTooManyTries
				return nil
			}
			outcome = &OTPWrongError{Remaining: otpMaxAttempts - attempts - 1}
			return s.audit.Record(ctx, tx, audit.Entry{Actor: audit.Anonymous(client.IP), Action: "signin.failed", ObjectType: "otp",
				ObjectID: audit.ObjectID(id), Note: "otp"})
		}
		// Single use: of two requests with the right code, one wins.
		res, err := tx.ExecContext(ctx, `UPDATE otp_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND attempts < $3`,
			id, database.TimeArg(now), otpMaxAttempts)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			outcome = ErrOTPExpired
			return nil
		}
		userID, created, err := s.citizenByPhone(ctx, tx, phone, client)
		if err != nil {
			return err
		}
		if sess, err = s.openSession(ctx, tx, userID, Citizen, MFANone, previousToken, client); err != nil {
			return err
		}
		sess.NewAccount = created
		return s.signedIn(ctx, tx, userID, "", client, "otp")
	})
	if err != nil {
		return Session{}, err
	}
	if outcome != nil {
		return Session{}, outcome
	}
	s.forgetToken(previousToken)
	return sess, nil
}

// citizenByPhone finds the live citizen account of a number or creates
// it (with the citizen role).
func (s *Service) citizenByPhone(ctx context.Context, tx *sql.Tx, phone string, client ClientInfo) (int64, bool, error) {
	var id int64
	var disabled bool
	err := tx.QueryRowContext(ctx, `SELECT id, disabled FROM users WHERE phone = $1 AND kind = 'citizen' AND deleted_at IS NULL`, phone).
		Scan(&id, &disabled)
	if err == nil {
		if disabled {
			return 0, false, ErrForbidden
		}
		return id, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	now := database.TimeArg(s.clock.Now())
	if err := tx.QueryRowContext(ctx, `INSERT INTO users (kind, phone, created_at, updated_at) VALUES ('citizen', $1, $2, $2) RETURNING id`,
		phone, now).Scan(&id); err != nil {
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role_code) VALUES ($1, 'citizen')`, id); err != nil {
		return 0, false, err
	}
	err = s.audit.Record(ctx, tx, audit.Entry{Actor: audit.Actor{Kind: audit.ActorUser, ID: id, Name: citizenLabel(id), IP: client.IP},
		Action: "user.created", ObjectType: "user", ObjectID: audit.ObjectID(id), After: map[string]string{"kind": "citizen"}})
	return id, true, err
}
