package credential

import (
	"crypto/subtle"
	"math"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings. SHA-1, 6 digits and 30-second steps are what every
// authenticator app supports (several ignore other values in the otpauth
// URL and would show wrong codes); RFC 6238's security rests on the HMAC
// key, not on SHA-1's collision resistance.
const (
	totpPeriod     = 30
	totpSecretSize = 20 // bytes, the RFC 4226 recommended 160 bits
	// totpSkew steps either side of now are accepted, for clock drift
	// and for a code typed just as it changed.
	totpSkew = 1
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret creates a TOTP secret for account (e.g. an e-mail address)
// shown under issuer (e.g. "Sodamolek Kota Kupang") in the authenticator
// app. secret is base32, to store (encrypted at rest where possible) and
// to show for manual entry; otpauthURL goes into the enrolment QR code.
func NewTOTPSecret(issuer, account string) (secret, otpauthURL string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// VerifyTOTP reports whether code is the TOTP code of secret at now or one
// 30-second step either side. It does not prevent replay; logins should
// use VerifyTOTPOnce.
func VerifyTOTP(secret, code string, now time.Time) bool {
	_, ok := MatchTOTP(secret, code, now)
	return ok
}

// MatchTOTP is VerifyTOTP returning the time step (Unix time / 30) the code
// belongs to.
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	return matchTOTP(secret, code, now, math.MinInt64)
}

// VerifyTOTPOnce is the replay guard RFC 6238 §5.2 asks for: it accepts
// code only for a step after lastStep, the step the caller stored after
// this secret's previous successful verification (0 if there was none).
// On success the caller must store the returned step before letting the
// person in, so that neither the same code nor an older one still inside
// the skew window can be used again.
func VerifyTOTPOnce(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	return matchTOTP(secret, code, now, lastStep)
}

// matchTOTP tries the current step first, then the past one, then the
// future one, skipping steps at or before after.
func matchTOTP(secret, code string, now time.Time, after int64) (int64, bool) {
	code = strings.ReplaceAll(code, " ", "") // apps show "123 456"
	if len(code) != totpOpts.Digits.Length() || strings.TrimLeft(code, "0123456789") != "" {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for _, step := range []int64{current, current - totpSkew, current + totpSkew} {
		if step <= 0 || step <= after {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(step), totpOpts)
		if err != nil {
			return 0, false // secret is not base32
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}
