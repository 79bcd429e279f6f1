// Package idnum owns the Indonesian personal identifiers that Sodamolek
// accepts at its edges: NIK (population number), KK (family card number),
// NIP (civil servant number), BPJS Kesehatan card numbers and Indonesian
// mobile phone numbers.
//
// Each parser takes what a person typed, strips the separators people type
// (spaces, dots and dashes, nothing else) and either returns a validated value
// or an *Error whose Code the web layer translates into a precise message.
// Error messages never repeat the input, so an error can be logged safely.
//
// NIK, KK and NIP are personal data under UU 27/2022. Their types print
// masked through fmt and log/slog; the full number is only available through
// Digits, which is meant for storage and for the owner's own view. The Mask
// functions produce the form shown in lists, and FindNIKLike lets tests prove
// that no full NIK reaches the logs.
package idnum
