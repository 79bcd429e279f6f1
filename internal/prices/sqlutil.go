package prices

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// querier runs reads inside or outside a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func isUnique(err error) bool { return database.IsUniqueViolation(err) }

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// parseNumber reads a decimal number as people write it in CSV files and
// forms: "15000", "15000.50", also with a decimal comma ("15000,50"). A
// point is always the decimal point, as in CSV; a number with both a
// point and a comma (thousands separators) is refused rather than
// guessed.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// placeholders returns "$start, $start+1, …" for n arguments.
func placeholders(start, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(start + i))
	}
	return b.String()
}

// idList formats ids for an IN (…) list. Ids are integers from the
// database, so formatting them into the statement is safe, and it keeps
// long lists clear of the engines' parameter limits.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// bulkInsert writes rows with multi-row INSERTs of up to batch rows each,
// inside tx. Both engines take one statement with many VALUES tuples far
// faster than as many single-row statements; the batch keeps the number
// of parameters under SQLite's limit (32766) and PostgreSQL's (65535).
//
// Dialect difference: on SQLite the statement uses anonymous "?"
// parameters. modernc.org/sqlite looks up each numbered parameter ($n)
// by name when binding, in time linear in the number of parameters, so
// binding a statement of thousands of $n parameters is quadratic (ten
// times slower than the insert itself at 30,000 parameters); "?"
// parameters bind by position.
type bulkInsert struct {
	ctx      context.Context
	tx       *sql.Tx
	head     string // "INSERT INTO t (a, b, c) VALUES "
	cols     int
	batch    int
	args     []any
	rows     int
	stmt     *sql.Stmt
	question bool
}

func newBulkInsert(ctx context.Context, db *database.DB, tx *sql.Tx, head string, cols int) *bulkInsert {
	batch := 30000 / cols
	return &bulkInsert{ctx: ctx, tx: tx, head: head, cols: cols, batch: batch, args: make([]any, 0, batch*cols),
		question: db.Dialect == database.SQLite}
}

// add queues one row; its values must number cols.
func (b *bulkInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == b.batch {
		return b.flush()
	}
	return nil
}

// flush writes the queued rows. A full batch reuses one prepared
// statement; the last, shorter batch is a statement of its own.
func (b *bulkInsert) flush() error {
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == b.batch {
		if b.stmt == nil {
			b.stmt, err = b.tx.PrepareContext(b.ctx, b.statement(b.rows))
			if err != nil {
				return err
			}
		}
		_, err = b.stmt.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.statement(b.rows), b.args...)
	}
	b.args, b.rows = b.args[:0], 0
	return err
}

// close flushes and releases the prepared statement.
func (b *bulkInsert) close() error {
	err := b.flush()
	if b.stmt != nil {
		if cerr := b.stmt.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (b *bulkInsert) statement(rows int) string {
	var sb strings.Builder
	sb.Grow(len(b.head) + rows*b.cols*6)
	sb.WriteString(b.head)
	n := 1
	for r := range rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		if b.question {
			sb.WriteString(strings.Repeat("?, ", b.cols-1) + "?")
		} else {
			sb.WriteString(placeholders(n, b.cols))
		}
		sb.WriteByte(')')
		n += b.cols
	}
	return sb.String()
}

// prefixed qualifies a column list with a table alias ("c." + "id, code"
// → "c.id, c.code").
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// priceWriter writes observations in bulk (imports, demo data, generated
// volumes), all with one status, source and creation time.
//
// Dialect difference: on SQLite it is a bulkInsert (multi-row VALUES). On
// PostgreSQL, whose cost is per parameter (a statement of 30,000 scalar
// parameters inserts about 25,000 rows a second), the rows travel as five
// arrays, one parameter per column, and unnest turns them back into rows:
// several times faster, still through database/sql (pgx's COPY is not
// reachable from it).
type priceWriter struct {
	ctx                       context.Context
	tx                        *sql.Tx
	status, source, createdAt string
	sqlite                    *bulkInsert
	days                      []string
	markets, commodities      []int64
	traders                   []int64 // 0: none
	prices                    []float64
	stmt                      *sql.Stmt
}

// pgBatch is the rows per PostgreSQL statement.
const pgBatch = 20000

func (s *Store) newPriceWriter(ctx context.Context, tx *sql.Tx, status, source string) *priceWriter {
	w := &priceWriter{ctx: ctx, tx: tx, status: status, source: source, createdAt: s.now()}
	if s.db.Dialect != database.Postgres {
		w.sqlite = newBulkInsert(ctx, s.db, tx, `INSERT INTO price_observations (day, market_id, commodity_id, trader_id, price, status, source, created_at) VALUES `, 8)
	}
	return w
}

// add queues one observation; trader 0 means none.
func (w *priceWriter) add(day string, market, commodity, trader int64, price float64) error {
	if w.sqlite != nil {
		var t any
		if trader != 0 {
			t = trader
		}
		return w.sqlite.add(day, market, commodity, t, price, w.status, w.source, w.createdAt)
	}
	w.days = append(w.days, day)
	w.markets = append(w.markets, market)
	w.commodities = append(w.commodities, commodity)
	w.traders = append(w.traders, trader)
	w.prices = append(w.prices, price)
	if len(w.days) == pgBatch {
		return w.flush()
	}
	return nil
}

func (w *priceWriter) flush() error {
	if w.sqlite != nil || len(w.days) == 0 {
		return nil
	}
	if w.stmt == nil {
		var err error
		w.stmt, err = w.tx.PrepareContext(w.ctx, `INSERT INTO price_observations (day, market_id, commodity_id, trader_id, price, status, source, created_at)
			SELECT u.day, u.market_id, u.commodity_id, NULLIF(u.trader_id, 0), u.price, $6, $7, $8
			FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::float8[]) AS u(day, market_id, commodity_id, trader_id, price)`)
		if err != nil {
			return err
		}
	}
	_, err := w.stmt.ExecContext(w.ctx, w.days, w.markets, w.commodities, w.traders, w.prices, w.status, w.source, w.createdAt)
	w.days, w.markets, w.commodities, w.traders, w.prices = w.days[:0], w.markets[:0], w.commodities[:0], w.traders[:0], w.prices[:0]
	return err
}

// close writes what is queued and releases the statement.
func (w *priceWriter) close() error {
	if w.sqlite != nil {
		return w.sqlite.close()
	}
	err := w.flush()
	if w.stmt != nil {
		if cerr := w.stmt.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// bulkSession prepares a transaction that writes many prices at once.
//
// Dialect difference: on PostgreSQL the aggregate refresh of a large
// import groups hundreds of thousands of rows, which the default work_mem
// (4 MB) sorts on disk; SET LOCAL lends this one transaction more memory.
// SQLite needs nothing.
func (s *Store) bulkSession(ctx context.Context, tx *sql.Tx) error {
	if s.db.Dialect != database.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SET LOCAL work_mem = '256MB'`)
	return err
}
