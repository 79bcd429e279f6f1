package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/app"
	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ScaleReports is the number of reports SeedScale makes per unit of
// scale: a city of 400,000 people filing reports for several years.
const ScaleReports = 1_000_000

// SeedDemo implements app.DemoSeeder: a few hundred reports of the last
// four months across Kupang, in every state, with their histories.
func (m *Module) SeedDemo(ctx context.Context, d *app.Deps) error {
	n, err := m.generateInto(ctx, 400, 120, 5371)
	if err == nil {
		d.Log.Info("reports: demo reports seeded", "reports", n)
	}
	return err
}

// SeedScale implements app.ScaleSeeder: scale × 1,000,000 reports over
// three years, written with multi-row INSERTs in large transactions.
func (m *Module) SeedScale(ctx context.Context, d *app.Deps, scale int) error {
	_, err := m.generateInto(ctx, scale*ScaleReports, 3*365, uint64(7100+scale))
	return err
}

// bulkRows is how many rows one INSERT statement carries. SQLite treats
// $N as a named parameter and resolves each name with a linear search, so
// a statement's parse time grows with the square of its parameters:
// fifty rows (≤ 1,350 parameters) keep it negligible, and the statement
// of a full chunk is prepared once per transaction.
const bulkRows = 50

// bulkTx is how many reports one transaction writes.
const bulkTx = 20_000

// generateInto writes n generated reports created within the last span
// days, with ids after the current maximum, and returns how many it wrote.
func (m *Module) generateInto(ctx context.Context, n, spanDays int, seed uint64) (int, error) {
	env, err := m.newGenEnv(ctx)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	now := m.now()
	if m.d.DB.Dialect == database.SQLite && n > bulkTx {
		// A million rows with a dozen indexes on random keys do not fit
		// SQLite's default 2 MB page cache; without a larger one the load
		// spends its time re-reading index pages. The writer is one
		// connection, so this affects only it, until the load is done.
		if _, err := m.d.DB.ExecContext(ctx, `PRAGMA cache_size = -524288`); err != nil {
			return 0, err
		}
		defer m.d.DB.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	}
	var nextID, nextEvent int64
	if err := m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM reports`).Scan(&nextID); err != nil {
		return 0, err
	}
	if err := m.d.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM report_events`).Scan(&nextEvent); err != nil {
		return 0, err
	}
	// 40-bit codes collide by the birthday bound somewhere in a million:
	// the generator skips codes already used (the intake retries instead).
	used := map[string]bool{}
	rows, err := m.d.DB.QueryContext(ctx, `SELECT tracking_code FROM reports`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return 0, err
		}
		used[c] = true
	}
	rows.Close()
	written := 0
	for written < n {
		batch := make([]genReport, 0, min(bulkTx, n-written))
		for len(batch) < cap(batch) {
			g, ok := env.generate(rng, now, spanDays)
			if !ok {
				continue
			}
			nextID++
			g.ID = nextID
			for g.Code = codeFrom(rng); used[g.Code]; g.Code = codeFrom(rng) {
			}
			used[g.Code] = true
			for i := range g.events {
				nextEvent++
				g.events[i].ID, g.events[i].ReportID = nextEvent, g.ID
			}
			batch = append(batch, g)
		}
		err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
			stmts := map[string]*sql.Stmt{}
			if err := bulkReports(ctx, tx, stmts, batch); err != nil {
				return err
			}
			return bulkEvents(ctx, tx, stmts, batch)
		})
		if err != nil {
			return written, err
		}
		written += len(batch)
	}
	err = m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		if m.d.DB.Dialect == database.Postgres {
			// Explicit ids do not move PostgreSQL's identity sequences
			// (SQLite's INTEGER PRIMARY KEY needs nothing).
			for _, t := range []string{"reports", "report_events"} {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
					return err
				}
			}
		}
		return m.d.Audit.Record(ctx, tx, audit.Entry{Actor: audit.System("seed"), Action: "report.generated", ObjectType: "report",
			Note: fmt.Sprintf("%d generated reports (demo or scale data)", written)})
	})
	m.touched()
	return written, err
}

func placeholders(b *strings.Builder, rows, cols int) {
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := 0; j < cols; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*cols+j+1))
		}
		b.WriteByte(')')
	}
}

func bulkReports(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, batch []genReport) error {
	const cols = 27
	for start := 0; start < len(batch); start += bulkRows {
		part := batch[start:min(start+bulkRows, len(batch))]
		var b strings.Builder
		b.WriteString(`INSERT INTO reports (id, tracking_code, category_code, status, is_open, privacy, listed, description, attributes_json,
			lat, lon, kelurahan_code, kecamatan_code, unit_code, source, locale, reject_reason, created_at, updated_at, first_response_at,
			done_at, closed_at, response_due_at, resolution_due_at, due_at, next_check_at, rating) VALUES `)
		placeholders(&b, len(part), cols)
		args := make([]any, 0, len(part)*cols)
		for _, g := range part {
			var rating any
			if g.Rating > 0 {
				rating = g.Rating
			}
			attrs := "{}"
			if len(g.Attributes) > 0 {
				a, _ := json.Marshal(g.Attributes)
				attrs = string(a)
			}
			args = append(args, g.ID, g.Code, g.Category, string(g.Status), g.Status.Open(), string(g.Privacy), g.Listed, g.Description, attrs,
				g.Lat, g.Lon, g.Kelurahan, g.Kecamatan, g.Unit, g.Source, g.Locale, g.RejectReason, database.TimeArg(g.CreatedAt),
				database.TimeArg(g.UpdatedAt), database.NullTimeArg(g.FirstResponseAt), database.NullTimeArg(g.DoneAt),
				database.NullTimeArg(g.ClosedAt), database.NullTimeArg(g.ResponseDueAt), database.NullTimeArg(g.ResolutionDueAt),
				database.NullTimeArg(g.DueAt), database.NullTimeArg(g.NextCheckAt), rating)
		}
		if err := execChunk(ctx, tx, stmts, b.String(), args); err != nil {
			return err
		}
	}
	return nil
}

func bulkEvents(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, batch []genReport) error {
	const cols = 12
	var all []Event
	for _, g := range batch {
		all = append(all, g.events...)
	}
	for start := 0; start < len(all); start += bulkRows {
		part := all[start:min(start+bulkRows, len(all))]
		var b strings.Builder
		b.WriteString(`INSERT INTO report_events (id, report_id, at, kind, status, public, actor_kind, actor_name, unit_code, to_unit_code, reason, note) VALUES `)
		placeholders(&b, len(part), cols)
		args := make([]any, 0, len(part)*cols)
		for _, e := range part {
			args = append(args, e.ID, e.ReportID, database.TimeArg(e.At), e.Kind, string(e.Status), e.Public, e.ActorKind, e.ActorName,
				e.Unit, e.ToUnit, e.Reason, e.Note)
		}
		if err := execChunk(ctx, tx, stmts, b.String(), args); err != nil {
			return err
		}
	}
	return nil
}

// execChunk runs a bulk statement, prepared once per transaction.
func execChunk(ctx context.Context, tx *sql.Tx, stmts map[string]*sql.Stmt, query string, args []any) error {
	st, ok := stmts[query]
	if !ok {
		var err error
		if st, err = tx.PrepareContext(ctx, query); err != nil {
			return err
		}
		stmts[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}
