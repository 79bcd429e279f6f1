package document

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// signedMessage binds the document number to the hash of its bytes, so a
// valid signature cannot be moved to another number or another PDF.
func signedMessage(number, sha256Hex string) []byte {
	return []byte("sodamolek-document-v1\n" + number + "\n" + sha256Hex)
}

// Hash returns the hex SHA-256 of the PDF bytes.
func Hash(pdf []byte) string {
	sum := sha256.Sum256(pdf)
	return hex.EncodeToString(sum[:])
}

// Sign returns the document hash and the base64 Ed25519 signature.
func Sign(priv ed25519.PrivateKey, number string, pdf []byte) (sha string, sig string) {
	sha = Hash(pdf)
	return sha, base64.StdEncoding.EncodeToString(ed25519.Sign(priv, signedMessage(number, sha)))
}

// Verify reports whether sig is a valid signature by pub of number and
// sha256Hex.
func Verify(pub ed25519.PublicKey, number, sha256Hex, sig string) bool {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(pub, signedMessage(number, sha256Hex), raw)
}

// KeyID is a short fingerprint of a public key, printed on the
// verification page so a reader can compare it with the published key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}
