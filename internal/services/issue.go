package services

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
	"github.com/sodamolek/sodamolek/internal/services/document"
)

// signingKey is the Ed25519 key pair documents are signed with.
type signingKey struct {
	ID   string
	Pub  ed25519.PublicKey
	Priv ed25519.PrivateKey
}

// key returns the signing key, generating and storing it on first use.
// The private key is sealed with the platform key, so a database dump
// alone cannot forge documents. Two servers racing on first use both
// insert; the primary key keeps one and both then read it.
func (m *Module) key(ctx context.Context) (*signingKey, error) {
	m.keyMu.Lock()
	defer m.keyMu.Unlock()
	if m.signKey != nil {
		return m.signKey, nil
	}
	k, err := m.loadKey(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		pub, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, gerr
		}
		sealed, serr := m.d.Sealer.Seal(base64.StdEncoding.EncodeToString(priv.Seed()))
		if serr != nil {
			return nil, serr
		}
		if _, err := m.d.DB.ExecContext(ctx, `INSERT INTO svc_signing_keys (key_id, public_key, private_key, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key_id) DO NOTHING`, document.KeyID(pub), base64.StdEncoding.EncodeToString(pub), sealed,
			database.TimeArg(m.d.Clock.Now())); err != nil {
			return nil, err
		}
		k, err = m.loadKey(ctx)
	}
	if err != nil {
		return nil, err
	}
	m.signKey = k
	return k, nil
}

func (m *Module) loadKey(ctx context.Context) (*signingKey, error) {
	var id, pub64, sealed string
	if err := m.d.DB.QueryRowContext(ctx, `SELECT key_id, public_key, private_key FROM svc_signing_keys ORDER BY created_at, key_id LIMIT 1`).
		Scan(&id, &pub64, &sealed); err != nil {
		return nil, err
	}
	pub, err := base64.StdEncoding.DecodeString(pub64)
	if err != nil {
		return nil, err
	}
	seed64, err := m.d.Sealer.Open(sealed)
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(seed64)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("services: stored signing key is damaged")
	}
	return &signingKey{ID: id, Pub: ed25519.PublicKey(pub), Priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// publicKeys returns every published key (id → public key), old keys
// included so documents signed before a rotation still verify.
func (m *Module) publicKeys(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT key_id, public_key FROM svc_signing_keys`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]ed25519.PublicKey{}
	for rows.Next() {
		var id, pub64 string
		if err := rows.Scan(&id, &pub64); err != nil {
			return nil, err
		}
		pub, err := base64.StdEncoding.DecodeString(pub64)
		if err != nil {
			return nil, err
		}
		out[id] = pub
	}
	return out, rows.Err()
}

func (m *Module) publicURL(path string) string {
	return strings.TrimRight(m.d.Config.PublicURL(), "/") + path
}

// issue renders, signs and stores the document of a completed file.
func (m *Module) issue(ctx context.Context, tx *sql.Tx, svc *Service, a *Application) (string, error) {
	k, err := m.key(ctx)
	if err != nil {
		return "", err
	}
	number := "S-" + a.Number
	issuer := resolveUnit(svc.Output.Issuer, a.KelurahanCode)
	issuerName := issuer
	if u, err := m.d.Units.Get(ctx, issuer); err == nil {
		issuerName = u.Name
	}
	c := document.Content{Number: number, FileNumber: a.Number, Title: svc.Output.Title, Issuer: issuerName, City: m.d.Regions.Name,
		Applicant: a.ApplicantName, NIKMasked: a.NIKMasked, Body: svc.Output.Body, IssuedAt: m.d.Clock.Now().UTC().Truncate(time.Second)}
	for _, f := range svc.Fields {
		if v := a.Fields[f.Code]; v != "" {
			c.Lines = append(c.Lines, document.Line{Label: f.Label, Value: v})
		}
	}
	if r, ok := m.d.Regions.Lookup(a.KelurahanCode); ok {
		c.Lines = append(c.Lines, document.Line{Label: "Kelurahan", Value: r.Name})
	}
	pdf, err := document.Render(c, m.publicURL("/verify/"+number), m.d.Location)
	if err != nil {
		return "", err
	}
	sha, sig := document.Sign(k.Priv, number, pdf)
	facts, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO svc_issued (number, application_id, pdf, sha256, signature, key_id, facts, issued_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, number, a.ID, pdf, sha, sig, k.ID, string(facts), database.TimeArg(c.IssuedAt)); err != nil {
		return "", err
	}
	return number, nil
}

// Issued is a stored document.
type Issued struct {
	Number        string
	ApplicationID int64
	PDF           []byte
	SHA256        string
	Signature     string
	KeyID         string
	Facts         document.Content
	IssuedAt      time.Time
}

func (m *Module) issued(ctx context.Context, where string, arg any) (*Issued, error) {
	var d Issued
	var facts string
	err := m.d.DB.QueryRowContext(ctx, `SELECT number, application_id, pdf, sha256, signature, key_id, facts, issued_at FROM svc_issued WHERE `+where, arg).
		Scan(&d.Number, &d.ApplicationID, &d.PDF, &d.SHA256, &d.Signature, &d.KeyID, &facts, database.T(&d.IssuedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, err
	}
	return &d, json.Unmarshal([]byte(facts), &d.Facts)
}

// Verification is the outcome shown on the public verification page.
type Verification struct {
	Found          bool
	Number         string
	SignatureValid bool
	// HashChecked is true when a PDF was uploaded; HashMatches then says
	// whether its bytes are exactly the issued document.
	HashChecked bool
	HashMatches bool
	KeyID       string
	PublicKey   string
	Facts       document.Content
	IssuedAt    time.Time
}

// Verify checks a document number, and an uploaded PDF when given.
func (m *Module) Verify(ctx context.Context, number string, upload []byte) (Verification, error) {
	v := Verification{Number: number}
	d, err := m.issued(ctx, "number = $1", number)
	var se *Error
	if errors.As(err, &se) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	keys, err := m.publicKeys(ctx)
	if err != nil {
		return v, err
	}
	pub := keys[d.KeyID]
	v.Found, v.KeyID, v.Facts, v.IssuedAt = true, d.KeyID, d.Facts, d.IssuedAt
	v.PublicKey = base64.StdEncoding.EncodeToString(pub)
	// The stored hash must match the stored bytes and the signature must
	// cover them: a row edited in the database fails here too.
	v.SignatureValid = document.Hash(d.PDF) == d.SHA256 && document.Verify(pub, d.Number, d.SHA256, d.Signature)
	if upload != nil {
		v.HashChecked = true
		v.HashMatches = document.Hash(upload) == d.SHA256 && document.Verify(pub, d.Number, document.Hash(upload), d.Signature)
	}
	return v, nil
}
