package reports

import (
	"context"
	"database/sql"
	"sync"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// Group commit for the intake.
//
// On SQLite every transaction is one commit of the single writer: the
// pages it touched (the report row, its indexes, the history row, the
// audit row) are appended to the WAL one by one. A lone report touches a
// few dozen pages, and under a burst of submissions the writer spends
// most of its time writing pages that the next report touches again. So
// submissions that arrive while a transaction is running wait and are
// written together in the next one, sharing one commit; each submission
// stays all-or-nothing (see writeBatch). A submission that finds the
// writer idle runs alone in its own transaction, with no added latency.
//
// There is no background goroutine: the first waiting submitter leads a
// batch and, once its own report is written, hands the lead to the next
// one waiting, so no request is held back to serve others.

// maxGroup bounds one batch (and so the time a transaction holds the
// writer).
const maxGroup = 128

type pendingReport struct {
	r    *Report
	idem any
	s    *Submission
	v    *validated
	res  chan groupResult
}

type groupResult struct {
	err  error
	lead bool
}

type groupCommit struct {
	mu      sync.Mutex
	queue   []*pendingReport
	leading bool
}

// write stores one submission, alone or with others.
func (m *Module) write(ctx context.Context, p *pendingReport) error {
	g := &m.group
	p.res = make(chan groupResult, 1)
	g.mu.Lock()
	g.queue = append(g.queue, p)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		res := <-p.res
		if !res.lead {
			return res.err
		}
	}
	// Lead: this submission is first in the queue (a new leader finds
	// it empty; a handed-over lead goes to the head of the queue).
	g.mu.Lock()
	batch := g.queue
	if len(batch) > maxGroup {
		batch = batch[:maxGroup:maxGroup]
	}
	g.queue = g.queue[len(batch):]
	g.mu.Unlock()
	// The batch runs for every submitter in it, so the leader's
	// cancellation must not abort the others'.
	m.writeBatch(context.WithoutCancel(ctx), batch)
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.leading = false
	} else {
		g.queue[0].res <- groupResult{lead: true}
	}
	g.mu.Unlock()
	return (<-p.res).err
}

// writeBatch writes the batch in one transaction. Submissions are fully
// validated before they get here, so a failure is rare (a double tap's
// idempotency key, a tracking-code collision): then the transaction rolls
// back as a whole and each submission is written again alone, so that
// only the one at fault fails. (Savepoints would isolate it too, but they
// copy every page they touch to a statement journal, which costs more
// than the rare retry.)
func (m *Module) writeBatch(ctx context.Context, batch []*pendingReport) {
	err := m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		q := m.stmts.on(tx)
		for _, p := range batch {
			if err := m.insertNew(ctx, tx, q, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for _, p := range batch {
			p.r.ID = 0
			p.res <- groupResult{err: m.d.DB.Tx(ctx, func(tx *sql.Tx) error { return m.insertNew(ctx, tx, m.stmts.on(tx), p) })}
		}
	} else {
		for _, p := range batch {
			p.res <- groupResult{err: err}
		}
	}
	m.touched()
	if m.d.DB.Dialect != database.Postgres {
		m.stmts.prepareMarked(ctx)
	}
}

// stmtCache keeps prepared statements on the writer, so that the intake's
// fixed statements are parsed once instead of on every report. A
// statement is prepared outside any transaction (the SQLite writer has
// one connection, which a running transaction holds): the first use runs
// it unprepared and marks it, and prepareMarked prepares the marked ones
// after the transaction.
type stmtCache struct {
	db     *database.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	marked map[string]bool
}

func (c *stmtCache) get(query string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stmts[query]
	if !ok {
		if c.marked == nil {
			c.marked = map[string]bool{}
		}
		c.marked[query] = true
	}
	return st, ok
}

// prepareMarked prepares the statements first seen since the last call.
func (c *stmtCache) prepareMarked(ctx context.Context) {
	c.mu.Lock()
	var todo []string
	for q := range c.marked {
		todo = append(todo, q)
	}
	c.marked = nil
	c.mu.Unlock()
	for _, q := range todo {
		st, err := c.db.Raw().PrepareContext(ctx, q)
		if err != nil {
			continue // it will simply run unprepared
		}
		c.mu.Lock()
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		if _, dup := c.stmts[q]; dup {
			st.Close()
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// on is a Querier over tx that runs statements through the cache on
// SQLite. PostgreSQL's driver (pgx) already keeps a prepared-statement
// cache per connection, and a statement prepared on another pooled
// connection would be prepared again for every transaction, so there the
// transaction is used as it is.
func (c *stmtCache) on(tx *sql.Tx) database.Querier {
	if c.db.Dialect == database.Postgres {
		return tx
	}
	return &cachedTx{tx: tx, c: c}
}

// cachedTx runs the caller's statements as prepared statements bound to
// the transaction (database/sql reuses the prepared statement when the
// transaction has the connection it was prepared on, which on SQLite is
// always: the writer has one).
type cachedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

func (q *cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, ok := q.c.get(query); ok {
		return q.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q *cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, ok := q.c.get(query); ok {
		return q.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, query, args...)
}

func (q *cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := q.c.get(query); ok {
		return q.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, query, args...)
}
