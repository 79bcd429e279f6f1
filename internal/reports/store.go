package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ErrNotFound is an unknown report (or one the caller may not see).
var ErrNotFound = errors.New("reports: not found")

const reportColumns = `r.id, r.tracking_code, r.category_code, r.status, r.privacy, r.listed, r.description, r.attributes_json,
	r.lat, r.lon, r.address, r.kelurahan_code, r.kecamatan_code, r.unit_code, r.assignee_user_id, r.assignee_name,
	r.reporter_user_id, r.public_name, r.contact_sealed, r.contact_masked, r.source, r.source_ref, r.media_url, r.locale,
	r.supporters, r.merged_into, r.reject_reason, r.escalation_level, r.created_at, r.updated_at, r.first_response_at,
	r.done_at, r.closed_at, r.response_due_at, r.resolution_due_at, r.due_at, r.next_check_at, r.rating, r.rating_comment`

func scanReport(sc interface{ Scan(...any) error }) (*Report, error) {
	var r Report
	var status, privacy, attrs string
	var lat, lon sql.NullFloat64
	var assignee, reporter, merged, rating sql.NullInt64
	err := sc.Scan(&r.ID, &r.Code, &r.Category, &status, &privacy, &r.Listed, &r.Description, &attrs,
		&lat, &lon, &r.Address, &r.Kelurahan, &r.Kecamatan, &r.Unit, &assignee, &r.AssigneeName,
		&reporter, &r.PublicName, &r.ContactSealed, &r.ContactMasked, &r.Source, &r.SourceRef, &r.MediaURL, &r.Locale,
		&r.Supporters, &merged, &r.RejectReason, &r.EscalationLevel, database.T(&r.CreatedAt), database.T(&r.UpdatedAt),
		database.T(&r.FirstResponseAt), database.T(&r.DoneAt), database.T(&r.ClosedAt), database.T(&r.ResponseDueAt),
		database.T(&r.ResolutionDueAt), database.T(&r.DueAt), database.T(&r.NextCheckAt), &rating, &r.RatingComment)
	if err != nil {
		return nil, err
	}
	r.Status, r.Privacy = Status(status), Privacy(privacy)
	r.HasPoint, r.Lat, r.Lon = lat.Valid && lon.Valid, lat.Float64, lon.Float64
	r.AssigneeID, r.ReporterUserID, r.MergedInto, r.Rating = assignee.Int64, reporter.Int64, merged.Int64, int(rating.Int64)
	if attrs != "" && attrs != "{}" {
		if err := json.Unmarshal([]byte(attrs), &r.Attributes); err != nil {
			return nil, fmt.Errorf("report %d attributes: %w", r.ID, err)
		}
	}
	return &r, nil
}

func getReport(ctx context.Context, q database.Querier, where string, arg any) (*Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM reports r WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return r, err
}

func reportByID(ctx context.Context, q database.Querier, id int64) (*Report, error) {
	return getReport(ctx, q, `r.id = $1`, id)
}

func reportByCode(ctx context.Context, q database.Querier, code string) (*Report, error) {
	code = NormalizeCode(code)
	if code == "" {
		return nil, ErrNotFound
	}
	return getReport(ctx, q, `r.tracking_code = $1`, code)
}

// events returns a report's history, oldest first; publicOnly for the
// citizen's timeline. Photos are attached to their events.
func events(ctx context.Context, q database.Querier, reportID int64, publicOnly bool) ([]Event, error) {
	query := `SELECT id, report_id, at, kind, status, public, actor_kind, actor_user_id, actor_name, unit_code, to_unit_code, reason, note
		FROM report_events WHERE report_id = $1`
	if publicOnly {
		query += ` AND public = TRUE`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`, reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var status string
		var actor sql.NullInt64
		if err := rows.Scan(&e.ID, &e.ReportID, database.T(&e.At), &e.Kind, &status, &e.Public, &e.ActorKind, &actor,
			&e.ActorName, &e.Unit, &e.ToUnit, &e.Reason, &e.Note); err != nil {
			return nil, err
		}
		e.Status, e.ActorUserID = Status(status), actor.Int64
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	photos, err := reportPhotos(ctx, q, reportID)
	if err != nil {
		return nil, err
	}
	for _, p := range photos {
		for i := range out {
			if out[i].ID == p.EventID {
				out[i].Photos = append(out[i].Photos, p)
			}
		}
	}
	return out, nil
}

func reportPhotos(ctx context.Context, q database.Querier, reportID int64) ([]Photo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, report_id, event_id, file_key, content_type, width, height
		FROM report_photos WHERE report_id = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Photo
	for rows.Next() {
		var p Photo
		var ev sql.NullInt64
		if err := rows.Scan(&p.ID, &p.ReportID, &ev, &p.Key, &p.ContentType, &p.Width, &p.Height); err != nil {
			return nil, err
		}
		p.EventID = ev.Int64
		out = append(out, p)
	}
	return out, rows.Err()
}

// ruleCache keeps the routing rules, reloaded when the table changes.
type ruleCache struct {
	db      *database.DB
	mu      sync.Mutex
	rules   []Rule
	stamp   string
	checked time.Time
	loaded  bool
}

func (c *ruleCache) invalidate() {
	c.mu.Lock()
	c.loaded = false
	c.mu.Unlock()
}

func (c *ruleCache) get(ctx context.Context) ([]Rule, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && time.Since(c.checked) < 2*time.Second {
		return c.rules, nil
	}
	var maxUpdated sql.NullString
	var n int
	if err := c.db.QueryRowContext(ctx, `SELECT MAX(updated_at), COUNT(*) FROM report_routes`).Scan(&maxUpdated, &n); err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%s/%d", maxUpdated.String, n)
	if c.loaded && stamp == c.stamp {
		c.checked = time.Now()
		return c.rules, nil
	}
	rules, err := loadRules(ctx, c.db)
	if err != nil {
		return nil, err
	}
	c.rules, c.stamp, c.checked, c.loaded = rules, stamp, time.Now(), true
	return rules, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// insertID runs a single-row INSERT and returns the new row's id — the
// one place where the two engines differ in how (DOMAIN: keep dialect
// differences few and marked). PostgreSQL appends RETURNING id. SQLite
// reads the connection's last rowid instead: there, RETURNING is compiled
// like a trigger, which makes the statement a "multi-write" that opens a
// statement journal, and inside a transaction that already changed pages
// (every report of a group commit after the first) each page it touches is
// first copied to that journal — measured at a fifth of the intake's CPU
// and most of its write syscalls.
func (m *Module) insertID(ctx context.Context, q database.Querier, query string, args ...any) (int64, error) {
	if m.d.DB.Dialect == database.Postgres {
		var id int64
		err := q.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
		return id, err
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// lockReport reads a report inside a writing transaction. On PostgreSQL
// it locks the row until the transaction ends (FOR UPDATE): two officers
// acting at once, an officer and the SLA job, or a "me too" and a merge
// must not both start from the same state and overwrite each other's
// change. On SQLite the writer's transaction (BEGIN IMMEDIATE) already
// serialises every writer.
func (m *Module) lockReport(ctx context.Context, tx *sql.Tx, where string, arg any) (*Report, error) {
	if m.d.DB.Dialect == database.Postgres {
		where += ` FOR UPDATE`
	}
	return getReport(ctx, tx, where, arg)
}
