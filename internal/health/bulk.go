package health

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// bulk writes generated rows (demo and scale data) with multi-row
// INSERTs. SQLite resolves numbered parameters ($N) with a linear search
// per parameter, so a statement's cost grows with the square of its
// parameter count: 200 parameters a statement measured fastest (the full
// demo seeds in about 10 s; with 30,000 it took 26 s). PostgreSQL takes
// up to its limit of 65,535 and gains from fewer round trips.
type bulk struct {
	table  string
	cols   []string
	rows   [][]any
	params int
}

func newBulk(d database.Dialect, table string, cols ...string) *bulk {
	params := 200
	if d == database.Postgres {
		params = 30000
	}
	return &bulk{table: table, cols: cols, params: params}
}

func (b *bulk) add(vals ...any) { b.rows = append(b.rows, vals) }

// flush writes the rows collected so far.
func (b *bulk) flush(ctx context.Context, tx *sql.Tx) error {
	per := max(1, b.params/len(b.cols))
	for start := 0; start < len(b.rows); start += per {
		chunk := b.rows[start:min(start+per, len(b.rows))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(chunk)*len(b.cols))
		n := 0
		for i, row := range chunk {
			if len(row) != len(b.cols) {
				return fmt.Errorf("bulk %s: row has %d values for %d columns", b.table, len(row), len(b.cols))
			}
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for j := range row {
				if j > 0 {
					sb.WriteByte(',')
				}
				n++
				fmt.Fprintf(&sb, "$%d", n)
			}
			sb.WriteByte(')')
			args = append(args, row...)
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("bulk %s: %w", b.table, err)
		}
	}
	b.rows = b.rows[:0]
	return nil
}

// nextID is the first free id of a table, for generators that number
// their rows themselves (diagnoses must name their visit).
func nextID(ctx context.Context, q database.Querier, table string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+table).Scan(&n)
	return n, err
}

// syncSequence moves PostgreSQL's identity sequence past rows inserted
// with explicit ids, so later ordinary inserts do not collide. SQLite
// needs nothing: an INTEGER PRIMARY KEY continues from the largest id.
// This is the one place the generators differ between the engines.
func syncSequence(ctx context.Context, db *database.DB, table string) error {
	if db.Dialect != database.Postgres {
		return nil
	}
	_, err := db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+table+`))`)
	return err
}
