package auth

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/credential"
	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/platform/i18n"
	"github.com/sodamolek/sodamolek/internal/platform/notify"
	"github.com/sodamolek/sodamolek/internal/platform/pii"
	"github.com/sodamolek/sodamolek/internal/platform/regions"
	"github.com/sodamolek/sodamolek/internal/platform/units"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the identity tables (accounts, roles, sessions,
// tokens, API keys, one-time codes, sign-in failures). They refer to the
// units table, so they run after the platform's sets.
var Migrations = database.FromDir("auth", migrationFiles, "migrations")

// ServiceDeps is what the identity service is built on.
type ServiceDeps struct {
	DB       *database.DB
	Clock    clock.Clock
	Units    *units.Store
	Perms    *Registry
	Sealer   *pii.Sealer
	Audit    *audit.Log
	Notifier *notify.Notifier
	Log      *slog.Logger
	// Catalog supplies the text of the one-time code message.
	Catalog *i18n.Catalog
	// Regions validates home kelurahan codes (without it any code is
	// refused).
	Regions *regions.Profile
	// Location is the city's time zone: a NIK's two-digit birth year is
	// read against today's date there (default UTC).
	Location *time.Location
}

// ServiceOptions tunes the service; zero fields take the defaults noted.
type ServiceOptions struct {
	// PasswordParams are the argon2id costs for new hashes
	// (credential.DefaultParams). Hashes made with other parameters are
	// upgraded at the next successful sign-in.
	PasswordParams credential.Params
	// WaiveAdminTOTP lets administrators in without a second factor. Only
	// demo mode sets it, so that visitors can try the admin pages with
	// the documented password.
	WaiveAdminTOTP bool
	// Session lifetimes: idle (since the last request) and absolute
	// (since sign-in). Defaults: staff 2 h / 12 h, citizens 30 / 90 days.
	StaffIdle, StaffAbsolute     time.Duration
	CitizenIdle, CitizenAbsolute time.Duration
	// MFALifetime bounds the half-signed-in state between the password
	// and the TOTP step (10 min).
	MFALifetime time.Duration
	// TokenLifetime is how long an API bearer token lives (12 h).
	TokenLifetime time.Duration
	// CacheTTL is how long a resolved session, token or key is trusted
	// without asking the database (5 s). A revocation on this server
	// takes effect at once; other servers see it within CacheTTL.
	CacheTTL time.Duration
	// MaxConcurrentHashes bounds simultaneous argon2id verifications in
	// this process (2), so a flood of sign-ins cannot take every core and
	// all the memory.
	MaxConcurrentHashes int
	// TOTPIssuer labels the account in authenticator apps
	// ("Sodamolek").
	TOTPIssuer string
	// OTPChannel carries citizens' one-time codes (notify.ChannelSMS).
	OTPChannel string
}

func (o ServiceOptions) withDefaults() ServiceOptions {
	if o.PasswordParams == (credential.Params{}) {
		o.PasswordParams = credential.DefaultParams
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.StaffIdle, 2*time.Hour)
	def(&o.StaffAbsolute, 12*time.Hour)
	def(&o.CitizenIdle, 30*24*time.Hour)
	def(&o.CitizenAbsolute, 90*24*time.Hour)
	def(&o.MFALifetime, 10*time.Minute)
	def(&o.TokenLifetime, 12*time.Hour)
	def(&o.CacheTTL, 5*time.Second)
	if o.MaxConcurrentHashes <= 0 {
		o.MaxConcurrentHashes = 2
	}
	if o.TOTPIssuer == "" {
		o.TOTPIssuer = "Sodamolek"
	}
	if o.OTPChannel == "" {
		o.OTPChannel = notify.ChannelSMS
	}
	return o
}

// Service is the identity layer: accounts, sign-in, sessions, tokens, API
// keys, roles and the personal-data duties around them. It implements
// web.Authenticator.
type Service struct {
	db       *database.DB
	clock    clock.Clock
	units    *units.Store
	perms    *Registry
	sealer   *pii.Sealer
	audit    *audit.Log
	notifier *notify.Notifier
	log      *slog.Logger
	catalog  *i18n.Catalog
	regions  *regions.Profile
	location *time.Location
	opts     ServiceOptions

	// hashSlots is a semaphore around argon2id verifications.
	hashSlots chan struct{}
	dummyOnce sync.Once
	dummyHash string

	cache *principalCache

	exportMu  sync.Mutex
	exporters []exporter
}

// NewService builds the service.
func NewService(d ServiceDeps, opts ServiceOptions) *Service {
	opts = opts.withDefaults()
	clk := d.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	return &Service{location: loc, db: d.DB, clock: clk, units: d.Units, perms: d.Perms, sealer: d.Sealer, audit: d.Audit,
		notifier: d.Notifier, log: log.With("component", "auth"), catalog: d.Catalog, regions: d.Regions, opts: opts,
		hashSlots: make(chan struct{}, opts.MaxConcurrentHashes),
		cache:     newPrincipalCache(opts.CacheTTL)}
}

// Options returns the options in force (defaults filled in).
func (s *Service) Options() ServiceOptions { return s.opts }

// Errors the service returns; compare with errors.Is.
var (
	ErrForbidden = errors.New("auth: not allowed")
	ErrNotFound  = errors.New("auth: not found")
	// ErrBadCredentials is the one answer to a wrong username, a wrong
	// password, a disabled account or a wrong TOTP code at sign-in: the
	// caller learns nothing about which it was.
	ErrBadCredentials = errors.New("auth: wrong credentials")
	// ErrTOTPRequired: the password was right and the account has a
	// second factor; the API caller must send "totp".
	ErrTOTPRequired = errors.New("auth: TOTP code required")
	// ErrTOTPEnrolmentRequired: an administrator without a second factor
	// must enrol on the web before anything else.
	ErrTOTPEnrolmentRequired = errors.New("auth: TOTP enrolment required")
	// One-time code failures.
	ErrOTPExpired      = errors.New("auth: no valid code; request a new one")
	ErrOTPWrong        = errors.New("auth: wrong code")
	ErrOTPTooManyTries = errors.New("auth: too many wrong codes; request a new one")
)

// LockedError is returned while an account name is locked after repeated
// failures.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "auth: account locked until " + e.Until.Format(time.RFC3339)
}

// RetryAfter is the wait in whole seconds from now (at least 1).
func (e *LockedError) RetryAfter(now time.Time) int { return ceilSeconds(e.Until.Sub(now)) }

// ThrottledError is returned when a one-time code was requested too soon
// or too often.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string { return fmt.Sprintf("auth: try again in %s", e.Wait) }

// RetryAfter is the wait in whole seconds (at least 1).
func (e *ThrottledError) RetryAfter() int { return ceilSeconds(e.Wait) }

func ceilSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// FieldError is an input the service refuses: Field names the form field,
// Code is the message key that explains it ("user.username_taken"). The
// service returns it as *FieldError (or several as FieldErrors), so
// errors.As(err, &fe) with fe *FieldError finds the first.
type FieldError struct {
	Field, Code string
}

func (e FieldError) Error() string { return "auth: " + e.Field + ": " + e.Code }

// FieldErrors are several refused inputs of one form.
type FieldErrors []*FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Code
	}
	return "auth: " + strings.Join(parts, "; ")
}

// As lets errors.As find the first *FieldError of the list.
func (fe FieldErrors) As(target any) bool {
	if t, ok := target.(**FieldError); ok && len(fe) > 0 {
		*t = fe[0]
		return true
	}
	return false
}

// FieldErrorsOf returns every field error in err (none when err is of
// another kind).
func FieldErrorsOf(err error) []*FieldError {
	var many FieldErrors
	if errors.As(err, &many) {
		return many
	}
	var one *FieldError
	if errors.As(err, &one) {
		return []*FieldError{one}
	}
	return nil
}

func fieldErr(field, code string) error { return &FieldError{Field: field, Code: code} }

// acquireHashSlot waits for a free argon2id slot or for ctx to end.
func (s *Service) acquireHashSlot(ctx context.Context) (func(), error) {
	select {
	case s.hashSlots <- struct{}{}:
		return func() { <-s.hashSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dummy is a hash of a random password with the current parameters,
// verified when the account does not exist so that "no such user" costs
// the same time as "wrong password".
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		plain, _ := credential.NewToken("dummy_")
		h, err := credential.Hash(plain, s.opts.PasswordParams)
		if err != nil {
			panic("auth: cannot hash the dummy password: " + err.Error())
		}
		s.dummyHash = h
	})
	return s.dummyHash
}

// ClientInfo describes where a request came from, for sessions and the
// audit log.
type ClientInfo struct {
	IP        string
	UserAgent string
}

func (c ClientInfo) userAgent() string {
	ua := c.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	return ua
}
