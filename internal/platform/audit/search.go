package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Filter selects audit records. Zero fields do not filter. Pages are
// keyset-paginated on the id: pass the previous page's Next as BeforeID.
type Filter struct {
	ActorKind  ActorKind
	ActorID    int64 // with ActorKind: one user's or one key's actions
	Action     string
	ObjectType string
	ObjectID   string    // with ObjectType: the history of one object
	From, To   time.Time // From inclusive, To exclusive
	BeforeID   int64
	Limit      int // default 50, at most 500
}

// Page is one page of records, newest first. Next is the BeforeID of the
// following page, 0 on the last page.
type Page struct {
	Records []Record
	Next    int64
}

// Search returns the records matching f, newest first.
func (l *Log) Search(ctx context.Context, f Filter) (Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorKind != "" {
		add("actor_kind = $%d", string(f.ActorKind))
	}
	if f.ActorID != 0 {
		add("actor_id = $%d", f.ActorID)
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = $%d", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = $%d", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at >= $%d", database.TimeArg(f.From))
	}
	if !f.To.IsZero() {
		add("at < $%d", database.TimeArg(f.To))
	}
	if f.BeforeID > 0 {
		add("id < $%d", f.BeforeID)
	}
	q := `SELECT id, at, actor_kind, actor_id, actor_name, actor_ip, action, object_type, object_id, before_json, after_json, note FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// One extra row tells whether another page follows.
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit+1)
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("audit: search: %w", err)
	}
	defer rows.Close()
	var page Page
	for rows.Next() {
		var r Record
		var kind string
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, database.T(&r.At), &kind, &r.Actor.ID, &r.Actor.Name, &r.Actor.IP, &r.Action,
			&r.ObjectType, &r.ObjectID, &before, &after, &r.Note); err != nil {
			return Page{}, err
		}
		r.Actor.Kind = ActorKind(kind)
		if before.Valid {
			r.Before = []byte(before.String)
		}
		if after.Valid {
			r.After = []byte(after.String)
		}
		page.Records = append(page.Records, r)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(page.Records) > limit {
		page.Records = page.Records[:limit]
		page.Next = page.Records[limit-1].ID
	}
	return page, nil
}
