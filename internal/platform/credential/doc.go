// Package credential owns the secrets of Sodamolek's identity layer: how
// passwords are hashed and checked (argon2id in PHC string form), the
// password policy, random bearer tokens and what is stored of them (a
// SHA-256 digest, never the token), one-time codes sent by SMS or
// WhatsApp, recovery codes, and TOTP second factors with a replay guard.
//
// It keeps no state: callers store the hashes, digests and TOTP steps it
// returns, and decide what a failure means for a request.
package credential
