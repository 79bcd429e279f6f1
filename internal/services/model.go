package services

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Application statuses.
const (
	StatusDraft      = "draft"
	StatusInProgress = "in_progress"
	StatusRevision   = "revision" // returned to the applicant
	StatusCompleted  = "completed"
	StatusRejected   = "rejected"
)

// Stage statuses.
const (
	StagePending   = "pending"
	StageActive    = "active"
	StageDone      = "done"
	StageReturned  = "returned"
	StageRejected  = "rejected"
	StageCancelled = "cancelled"
)

// Application is one file (berkas).
type Application struct {
	ID            int64
	Number        string
	ServiceCode   string
	ApplicantID   int64
	ApplicantName string
	Phone         string
	PhoneLast4    string
	NIKSealed     string
	NIKMasked     string
	KelurahanCode string
	Parcel        string
	RefNumber     string
	Fields        map[string]string
	Status        string
	Revision      int
	Version       int
	CreatedAt     time.Time
	SubmittedAt   time.Time
	CompletedAt   time.Time
}

// Closed reports whether no further action is possible.
func (a *Application) Closed() bool { return a.Status == StatusCompleted || a.Status == StatusRejected }

// StageRow is a stage instance of an application.
type StageRow struct {
	ID            int64
	ApplicationID int64
	Code          string
	Position      int
	UnitCode      string
	Status        string
	AssigneeID    int64
	StartedAt     time.Time
	DueAt         time.Time
	FinishedAt    time.Time
	EscalatedAt   time.Time
	Note          string
	Data          map[string]string
	Version       int
}

// Upload is a stored document of an application.
type Upload struct {
	ID          int64
	DocType     string
	FileKey     string
	ContentType string
	Size        int64
	Revision    int
	UploadedAt  time.Time
}

// Event is one line of the timeline.
type Event struct {
	At        time.Time
	Kind      string
	StageCode string
	UnitCode  string
	Actor     string
	Note      string
	Revision  int
}

const appColumns = `id, COALESCE(number, ''), service_code, applicant_id, applicant_name, phone, phone_last4, nik_sealed, nik_masked,
	kelurahan_code, parcel, ref_number, fields, status, revision, version, created_at, submitted_at, completed_at`

func scanApp(sc interface{ Scan(...any) error }) (*Application, error) {
	var a Application
	var fields string
	err := sc.Scan(&a.ID, &a.Number, &a.ServiceCode, &a.ApplicantID, &a.ApplicantName, &a.Phone, &a.PhoneLast4, &a.NIKSealed,
		&a.NIKMasked, &a.KelurahanCode, &a.Parcel, &a.RefNumber, &fields, &a.Status, &a.Revision, &a.Version,
		database.T(&a.CreatedAt), database.T(&a.SubmittedAt), database.T(&a.CompletedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
		return nil, err
	}
	return &a, nil
}

func (m *Module) appByID(ctx context.Context, q database.Querier, id int64) (*Application, error) {
	return scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+` FROM svc_applications WHERE id = $1`, id))
}

func (m *Module) appByNumber(ctx context.Context, q database.Querier, number string) (*Application, error) {
	return scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+` FROM svc_applications WHERE number = $1`, number))
}

const stageColumns = `id, application_id, code, position, unit_code, status, COALESCE(assignee_id, 0), started_at, due_at,
	finished_at, escalated_at, note, data, version`

func scanStage(sc interface{ Scan(...any) error }) (StageRow, error) {
	var s StageRow
	var data string
	err := sc.Scan(&s.ID, &s.ApplicationID, &s.Code, &s.Position, &s.UnitCode, &s.Status, &s.AssigneeID, database.T(&s.StartedAt),
		database.T(&s.DueAt), database.T(&s.FinishedAt), database.T(&s.EscalatedAt), &s.Note, &data, &s.Version)
	if err != nil {
		return s, err
	}
	err = json.Unmarshal([]byte(data), &s.Data)
	return s, err
}

func (m *Module) stages(ctx context.Context, q database.Querier, appID int64) ([]StageRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stageColumns+` FROM svc_stages WHERE application_id = $1 ORDER BY position`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageRow
	for rows.Next() {
		s, err := scanStage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// uploads returns the current document of each type (the newest).
func (m *Module) uploads(ctx context.Context, q database.Querier, appID int64) (map[string]Upload, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, doc_type, file_key, content_type, size, revision, uploaded_at
		FROM svc_uploads WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Upload{}
	for rows.Next() {
		var u Upload
		if err := rows.Scan(&u.ID, &u.DocType, &u.FileKey, &u.ContentType, &u.Size, &u.Revision, database.T(&u.UploadedAt)); err != nil {
			return nil, err
		}
		out[u.DocType] = u
	}
	return out, rows.Err()
}

func (m *Module) events(ctx context.Context, q database.Querier, appID int64) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT at, kind, stage_code, unit_code, actor, note, revision FROM svc_events
		WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(database.T(&e.At), &e.Kind, &e.StageCode, &e.UnitCode, &e.Actor, &e.Note, &e.Revision); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (m *Module) addEvent(ctx context.Context, tx *sql.Tx, appID int64, e Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO svc_events (application_id, at, kind, stage_code, unit_code, actor, note, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, appID, database.TimeArg(m.d.Clock.Now()), e.Kind, e.StageCode, e.UnitCode, e.Actor, e.Note, e.Revision)
	return err
}

// nextCounter returns the next value of a named sequence (file numbers
// per service and year, bill numbers), inside the caller's transaction.
func nextCounter(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO svc_counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = svc_counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
