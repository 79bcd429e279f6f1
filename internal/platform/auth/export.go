package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
)

// Exporter contributes a module's records about a person to their data
// export (reports they filed, applications, …). It returns a value that
// encodes to JSON.
type Exporter func(ctx context.Context, userID int64) (any, error)

type exporter struct {
	name string
	fn   Exporter
}

// AddExporter registers a module's section of the personal data export,
// under name (e.g. "reports").
func (s *Service) AddExporter(name string, fn Exporter) {
	s.exportMu.Lock()
	defer s.exportMu.Unlock()
	for _, e := range s.exporters {
		if e.name == name {
			panic("auth: exporter " + name + " added twice")
		}
	}
	s.exporters = append(s.exporters, exporter{name, fn})
	sort.Slice(s.exporters, func(i, j int) bool { return s.exporters[i].name < s.exporters[j].name })
}

// exportAccount is the account section of an export: everything stored
// about the person, NIK in full (it is their own).
type exportAccount struct {
	ID            int64      `json:"id"`
	Kind          Kind       `json:"kind"`
	Username      string     `json:"username,omitempty"`
	Phone         string     `json:"phone,omitempty"`
	Name          string     `json:"name"`
	Email         string     `json:"email"`
	NIK           string     `json:"nik"`
	KelurahanCode string     `json:"kelurahan_code"`
	UnitCode      string     `json:"unit_code,omitempty"`
	Roles         []string   `json:"roles"`
	TOTPEnabled   bool       `json:"totp_enabled"`
	CreatedAt     time.Time  `json:"created_at"`
	LastLoginAt   *time.Time `json:"last_login_at,omitempty"`
}

type exportSession struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
}

type exportActivity struct {
	At         time.Time `json:"at"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type,omitempty"`
	ObjectID   string    `json:"object_id,omitempty"`
	IP         string    `json:"ip,omitempty"`
}

// exportActivityLimit bounds the activity section; the audit log of a
// long-lived staff account can be large.
const exportActivityLimit = 1000

// ExportData returns everything stored about the principal as indented
// JSON (UU 27/2022: a person may obtain their data), and records the
// export, which includes the full NIK, in the audit log.
func (s *Service) ExportData(ctx context.Context, p *Principal, client ClientInfo) ([]byte, error) {
	u, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	nik, err := s.openNIK(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	acc := exportAccount{ID: u.ID, Kind: u.Kind, Username: u.Username, Phone: u.Phone, Name: u.Name, Email: u.Email, NIK: nik,
		KelurahanCode: u.KelurahanCode, UnitCode: u.UnitCode, Roles: u.Roles, TOTPEnabled: u.TOTPEnabled, CreatedAt: u.CreatedAt}
	if !u.LastLoginAt.IsZero() {
		acc.LastLoginAt = &u.LastLoginAt
	}
	sessions, err := s.ListSessions(ctx, p)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"exported_at": s.clock.Now().UTC(), "account": acc}
	var ss []exportSession
	for _, si := range sessions {
		ss = append(ss, exportSession{CreatedAt: si.CreatedAt, LastSeenAt: si.LastSeenAt, IP: si.IP, UserAgent: si.UserAgent})
	}
	out["sessions"] = ss
	page, err := s.audit.Search(ctx, audit.Filter{ActorKind: audit.ActorUser, ActorID: u.ID, Limit: exportActivityLimit})
	if err != nil {
		return nil, err
	}
	var acts []exportActivity
	for _, r := range page.Records {
		acts = append(acts, exportActivity{At: r.At, Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, IP: r.Actor.IP})
	}
	out["activity"] = acts
	s.exportMu.Lock()
	exps := append([]exporter(nil), s.exporters...)
	s.exportMu.Unlock()
	for _, e := range exps {
		v, err := e.fn(ctx, u.ID)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", e.name, err)
		}
		out[e.name] = v
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := s.audit.Record(ctx, s.db, audit.Entry{Actor: ActorOf(p, client.IP), Action: "user.exported", ObjectType: "user",
		ObjectID: audit.ObjectID(u.ID), Note: "includes nik"}); err != nil {
		return nil, err
	}
	return body, nil
}
