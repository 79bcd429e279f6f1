package database

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// Checkpoints off the commit path.
//
// In WAL mode SQLite copies the log back into the database file (a
// checkpoint) once the log passes wal_autocheckpoint pages, and by
// default it does so inside the commit that crossed the threshold: on
// the single writer, which then reads the log, writes the database file
// and syncs it while every other writer waits. The checkpointer does that
// work on a connection of its own, beside the writer: a PASSIVE
// checkpoint never blocks the writer or the readers, so commits only
// append to the log. The writer keeps an automatic checkpoint at a much
// larger size as a backstop, for when long-running readers hold the
// checkpointer back. Durability is unchanged: a commit is durable when
// its frames are in the log, whoever checkpoints them later.

const (
	// checkpointEvery is how often the checkpointer copies the log back.
	// A busy writer appends a few thousand pages a second; at this pace
	// the log stays within a few MB.
	checkpointEvery = 100 * time.Millisecond
	// writerAutoCheckpoint is the backstop, in pages (10 × SQLite's
	// default of 1,000, about 40 MB with 4 KiB pages).
	writerAutoCheckpoint = 10000
)

type checkpointer struct {
	conn *sql.DB
	stop context.CancelFunc
	done sync.WaitGroup
}

// startCheckpointer opens a connection for checkpoints and runs them in
// the background until close.
func startCheckpointer(path string) (*checkpointer, error) {
	conn, err := openOneConn(sqliteDSN(path, connCheckpoint))
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{conn: conn, stop: stop}
	c.done.Add(1)
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer c.done.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// An error (the file busy for a moment, a disk error) is left for
		// the next tick; the writer's backstop still bounds the log.
		_, _ = c.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

func (c *checkpointer) close() error {
	c.stop()
	c.done.Wait()
	return c.conn.Close()
}
