package prices

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// bulkTx runs fn in one write transaction in which fn can write rows in
// bulk with writeRows.
//
// Dialect difference: on PostgreSQL the fastest bulk write is COPY, which
// database/sql does not offer and database.DB.Tx does not expose the
// connection of. So the transaction is begun on a connection taken from
// the pool (DB.Raw), and writeRows reaches pgx's own connection through
// sql.Conn.Raw: COPY then runs inside the same transaction, and a failure
// anywhere still rolls everything back. On SQLite it is DB.Tx (with its
// single writer and busy retries), and writeRows uses multi-row INSERTs.
func (s *Store) bulkTx(ctx context.Context, fn func(tx *sql.Tx, bw *bulkWriter) error) error {
	if s.db.Dialect != database.Postgres {
		restore, err := s.sqliteBulkPragmas(ctx)
		if err != nil {
			return err
		}
		defer restore()
		return s.db.Tx(ctx, func(tx *sql.Tx) error {
			return fn(tx, &bulkWriter{ctx: ctx, db: s.db, tx: tx})
		})
	}
	conn, err := s.db.Raw().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx, &bulkWriter{ctx: ctx, db: s.db, tx: tx, conn: conn}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// bulkWriter writes many rows into a table inside a bulkTx transaction.
type bulkWriter struct {
	ctx  context.Context
	db   *database.DB
	tx   *sql.Tx
	conn *sql.Conn // PostgreSQL only: the transaction's connection
}

// sqliteRowsPerInsert is the rows of one multi-row INSERT on SQLite.
// Larger statements gain nothing (the B-tree inserts dominate), and a
// few hundred rows keep the statement and its bound values in the CPU
// cache.
const sqliteRowsPerInsert = 500

// writeRows writes n rows into table; row fills vals (one per column,
// nil for NULL) with row i. vals is reused between rows.
func (w *bulkWriter) writeRows(table string, cols []string, n int, row func(i int, vals []any)) error {
	if n == 0 {
		return nil
	}
	vals := make([]any, len(cols))
	if w.conn == nil {
		ins := newBulkInsert(w.ctx, w.db, w.tx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES `, len(cols))
		ins.batch = min(ins.batch, sqliteRowsPerInsert)
		for i := range n {
			row(i, vals)
			if err := ins.add(vals...); err != nil {
				return err
			}
		}
		return ins.close()
	}
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("prices: the PostgreSQL connection is not pgx's")
		}
		i := 0
		_, err := c.Conn().CopyFrom(w.ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			row(i, vals)
			i++
			return vals, nil
		}))
		return err
	})
}

// bulkCacheKiB is the writer's page cache during a bulk write on SQLite.
const bulkCacheKiB = 256 << 10

// sqliteBulkPragmas tunes SQLite's single writer connection for one bulk
// write and returns what undoes it.
//
// Dialect difference (SQLite only), both seen in import profiles:
//   - a multi-row INSERT may abort half-way (a CHECK), so SQLite copies
//     every page it changes into a statement journal, a temporary file
//     by default: temp_store MEMORY keeps it in memory (it is discarded
//     at the end of each statement). It stays set: temporary B-trees of
//     any query are better in memory on this one connection too;
//   - the default 2 MB page cache spills dirty pages of a large
//     transaction to the WAL long before the commit, and the same pages
//     again later; a larger cache for the transaction writes each once.
//     The cache is given back afterwards.
func (s *Store) sqliteBulkPragmas(ctx context.Context) (func(), error) {
	var prev int64
	if err := s.db.Raw().QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&prev); err != nil {
		return nil, err
	}
	for _, p := range []string{`PRAGMA temp_store = MEMORY`, `PRAGMA cache_size = -` + itoa(bulkCacheKiB)} {
		if _, err := s.db.ExecContext(ctx, p); err != nil {
			return nil, err
		}
	}
	return func() { _, _ = s.db.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+itoa(prev)) }, nil
}
