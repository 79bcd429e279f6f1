package auth

import (
	"context"
	"database/sql"
	"net/url"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// verifyTOTP checks a code against the account's secret, refusing the
// step already used and every earlier one.
func (s *Service) verifyTOTP(acc staffLogin, code string) (int64, bool) {
	secret, err := s.sealer.Open(acc.totpSecret)
	if err != nil || secret == "" {
		if err != nil {
			s.log.Error("TOTP secret cannot be opened", "user_id", acc.id, "err", err)
		}
		return 0, false
	}
	return credential.VerifyTOTPOnce(secret, code, s.clock.Now(), acc.totpLastStep)
}

// claimTOTPStep stores the step of an accepted code. The conditional
// update is what makes a code single-use across concurrent requests and
// servers: used is true when another request claimed this step (or a
// later one) first.
func (s *Service) claimTOTPStep(ctx context.Context, tx *sql.Tx, userID, step int64) (used bool, err error) {
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 0, err
}

// totpAccount loads the staff account behind a principal that may manage
// its own second factor: a signed-in staff member, or an administrator
// half-signed-in to enrol.
func (s *Service) totpAccount(ctx context.Context, p *Principal) (staffLogin, error) {
	if p == nil || p.Kind != Staff || p.UserID == 0 {
		return staffLogin{}, ErrForbidden
	}
	if p.MFAPending {
		state, err := s.PendingMFA(ctx, p)
		if err != nil {
			return staffLogin{}, err
		}
		if state != MFAEnrol {
			return staffLogin{}, ErrForbidden
		}
	}
	acc, found, err := s.loadStaffLogin(ctx, s.db, `id = $1`, p.UserID)
	if err != nil {
		return staffLogin{}, err
	}
	if !found || acc.disabled {
		return staffLogin{}, ErrForbidden
	}
	return acc, nil
}

// TOTPEnrolment is what a staff member needs to add the account to an
// authenticator app: the base32 secret for typing and the otpauth URL
// for a QR code or a tap on the phone.
type TOTPEnrolment struct {
	Secret string
	URL    string
}

// BeginTOTP creates a new secret for the principal's account and keeps it
// (sealed) until ConfirmTOTP proves the app has it; until then the
// account signs in as before.
func (s *Service) BeginTOTP(ctx context.Context, p *Principal, client ClientInfo) (TOTPEnrolment, error) {
	acc, err := s.totpAccount(ctx, p)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	if acc.totpEnabled {
		return TOTPEnrolment{}, fieldErr("code", "totp.already_enabled")
	}
	secret, otpURL, err := credential.NewTOTPSecret(s.opts.TOTPIssuer, acc.username)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	sealed, err := s.sealer.Seal(secret)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $2, updated_at = $3 WHERE id = $1 AND totp_enabled = FALSE`,
			acc.id, sealed, database.TimeArg(s.clock.Now())); err != nil {
			return err
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.totp_started", ObjectType: "user",
			ObjectID: audit.ObjectID(acc.id)})
	})
	if err != nil {
		return TOTPEnrolment{}, err
	}
	return TOTPEnrolment{Secret: secret, URL: otpURL}, nil
}

// PendingTOTP returns the enrolment begun by BeginTOTP and not yet
// confirmed, to show it again (after a mistyped code); ErrNotFound when
// there is none.
func (s *Service) PendingTOTP(ctx context.Context, p *Principal) (TOTPEnrolment, error) {
	acc, err := s.totpAccount(ctx, p)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	if acc.totpEnabled || acc.totpSecret == "" {
		return TOTPEnrolment{}, ErrNotFound
	}
	secret, err := s.sealer.Open(acc.totpSecret)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	return TOTPEnrolment{Secret: secret, URL: otpauthURL(s.opts.TOTPIssuer, acc.username, secret)}, nil
}

// otpauthURL rebuilds the Key URI of credential.NewTOTPSecret (SHA-1, 6
// digits, 30 s: what every app supports).
func otpauthURL(issuer, account, secret string) string {
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account}
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", "30")
	u.RawQuery = q.Encode()
	return u.String()
}

// ConfirmTOTP switches the second factor on once a code from the new
// secret is right. For an administrator half-signed-in to enrol, it also
// rotates the session into a full one (the returned Session has a Token;
// otherwise it is empty). A wrong code is a *FieldError on "code".
func (s *Service) ConfirmTOTP(ctx context.Context, p *Principal, sessionToken, code string, client ClientInfo) (Session, error) {
	acc, err := s.totpAccount(ctx, p)
	if err != nil {
		return Session{}, err
	}
	if acc.totpEnabled {
		return Session{}, fieldErr("code", "totp.already_enabled")
	}
	if acc.totpSecret == "" {
		return Session{}, ErrNotFound
	}
	step, ok := s.verifyTOTP(acc, code)
	if !ok {
		return Session{}, fieldErr("code", "totp.code_wrong")
	}
	var sess Session
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = TRUE, totp_last_step = $2, updated_at = $3
			WHERE id = $1 AND totp_enabled = FALSE AND totp_last_step < $2`, acc.id, step, database.TimeArg(s.clock.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fieldErr("code", "totp.code_wrong")
		}
		if err := s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.totp_enabled", ObjectType: "user",
			ObjectID: audit.ObjectID(acc.id)}); err != nil {
			return err
		}
		if !p.MFAPending {
			return nil
		}
		if sess, err = s.openSession(ctx, tx, acc.id, Staff, MFANone, sessionToken, client); err != nil {
			return err
		}
		return s.signedIn(ctx, tx, acc.id, acc.username, client, "password+totp enrolment")
	})
	if err != nil {
		return Session{}, err
	}
	s.forgetToken(sessionToken)
	s.cache.forgetUser(acc.id)
	return sess, nil
}

// DisableTOTP switches the second factor off after checking a current
// code. Administrators cannot (unless demo mode waives the requirement).
func (s *Service) DisableTOTP(ctx context.Context, p *Principal, code string, client ClientInfo) error {
	if !p.Authenticated() {
		return ErrForbidden
	}
	acc, err := s.totpAccount(ctx, p)
	if err != nil {
		return err
	}
	if !acc.totpEnabled {
		return fieldErr("code", "totp.not_enabled")
	}
	if acc.admin && !s.opts.WaiveAdminTOTP {
		return fieldErr("code", "totp.required_for_admin")
	}
	step, ok := s.verifyTOTP(acc, code)
	if !ok {
		return fieldErr("code", "totp.code_wrong")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_enabled = FALSE, totp_secret = '', totp_last_step = $2, updated_at = $3
			WHERE id = $1 AND totp_last_step < $2`, acc.id, step, database.TimeArg(s.clock.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fieldErr("code", "totp.code_wrong")
		}
		return s.audit.Record(ctx, tx, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.totp_disabled", ObjectType: "user",
			ObjectID: audit.ObjectID(acc.id)})
	})
	if err != nil {
		return err
	}
	s.cache.forgetUser(acc.id)
	return nil
}
