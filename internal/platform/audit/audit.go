// Package audit owns the append-only audit log: who (a user, an API key,
// an anonymous visitor or the system itself) did what to which object,
// when, and how the object looked before and after.
//
// A module writes its audit row with Record inside the same transaction
// as the change it describes, so the change and its record commit or roll
// back together. Reads of a full personal record (a NIK, a health record)
// are recorded with RecordRead, as UU 27/2022 asks. The table refuses
// UPDATE and DELETE through database triggers on both engines, so not
// even a bug (or an operator with SQL access through the application's
// account) can rewrite history.
//
// The package knows nothing about accounts: callers describe the actor
// with an Actor (package auth converts its principals with auth.ActorOf).
package audit

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations returns the audit schema for an engine: the table (module
// "audit") and the append-only triggers (module "audit_guard"), whose SQL
// differs between SQLite and PostgreSQL.
func Migrations(d database.Dialect) []database.Migrations {
	guard := "migrations/guard_sqlite"
	if d == database.Postgres {
		guard = "migrations/guard_postgres"
	}
	return []database.Migrations{
		database.FromDir("audit", migrationFiles, "migrations/table"),
		database.FromDir("audit_guard", migrationFiles, guard),
	}
}

// ActorKind says what sort of actor did something.
type ActorKind string

const (
	ActorUser      ActorKind = "user"
	ActorAPIKey    ActorKind = "apikey"
	ActorAnonymous ActorKind = "anonymous"
	ActorSystem    ActorKind = "system"
)

func (k ActorKind) valid() bool {
	switch k {
	case ActorUser, ActorAPIKey, ActorAnonymous, ActorSystem:
		return true
	}
	return false
}

// Actor is who did it. ID is the user's or API key's id (0 for anonymous
// and system actors); Name is what a person reading the log recognises
// (a username, a key's name, "cli"); IP is the client address, if any.
type Actor struct {
	Kind ActorKind
	ID   int64
	Name string
	IP   string
}

// System is the actor for work the application does on its own or on an
// operator's command line (name says which: "cli", "seed", "job:…").
func System(name string) Actor { return Actor{Kind: ActorSystem, Name: name} }

// Anonymous is a visitor without an account, known only by address.
func Anonymous(ip string) Actor { return Actor{Kind: ActorAnonymous, IP: ip} }

// Entry is one thing that happened. Action is "<object>.<verb>" in the
// past tense ("user.created", "apikey.revoked", "signin.failed"). Before
// and After are marshalled to JSON (nil leaves them empty); they must not
// hold a full NIK or other identifier, because an audit row cannot be
// corrected or erased later: record masked values instead.
type Entry struct {
	Actor      Actor
	Action     string
	ObjectType string
	ObjectID   string
	Before     any
	After      any
	Note       string
}

// Record is a stored entry.
type Record struct {
	ID         int64
	At         time.Time
	Actor      Actor
	Action     string
	ObjectType string
	ObjectID   string
	Before     json.RawMessage // nil when not recorded
	After      json.RawMessage
	Note       string
}

// Log writes and searches the audit log.
type Log struct {
	db    *database.DB
	clock clock.Clock
}

// New returns the audit log over db; clk stamps the entries.
func New(db *database.DB, clk clock.Clock) *Log {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Log{db: db, clock: clk}
}

// maxNote bounds free text so a runaway caller cannot bloat the table.
const maxNote = 2000

// Record appends e using q, which should be the caller's transaction: the
// entry then exists exactly when the change it describes commits.
func (l *Log) Record(ctx context.Context, q database.Querier, e Entry) error {
	if !e.Actor.Kind.valid() {
		return fmt.Errorf("audit: actor kind %q is not valid", e.Actor.Kind)
	}
	if e.Action == "" {
		return errors.New("audit: entry needs an action")
	}
	before, err := marshal(e.Before)
	if err != nil {
		return fmt.Errorf("audit: %s before: %w", e.Action, err)
	}
	after, err := marshal(e.After)
	if err != nil {
		return fmt.Errorf("audit: %s after: %w", e.Action, err)
	}
	note := e.Note
	if len(note) > maxNote {
		note = note[:maxNote]
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, actor_ip, action, object_type, object_id, before_json, after_json, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		database.TimeArg(l.clock.Now()), string(e.Actor.Kind), e.Actor.ID, e.Actor.Name, e.Actor.IP,
		e.Action, e.ObjectType, e.ObjectID, before, after, note)
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// RecordRead records that actor saw a full personal record (the object)
// and which part of it (what: "nik", "health_record", "export"), in its
// own statement: a read has no transaction to join. The action is
// "<objectType>.read".
func (l *Log) RecordRead(ctx context.Context, actor Actor, objectType, objectID, what string) error {
	return l.Record(ctx, l.db, Entry{Actor: actor, Action: objectType + ".read", ObjectType: objectType,
		ObjectID: objectID, Note: what})
}

// ObjectID formats a numeric id the way Entry.ObjectID stores ids.
func ObjectID(id int64) string { return strconv.FormatInt(id, 10) }

func marshal(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		if len(raw) == 0 {
			return nil, nil
		}
		if !json.Valid(raw) {
			return nil, errors.New("not valid JSON")
		}
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}
