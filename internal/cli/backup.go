package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/config"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

func init() {
	Register(Command{Name: "backup", Summary: "copy the SQLite database online into a file (PostgreSQL: print the pg_dump command)", Run: runBackup})
}

func runBackup(ctx context.Context, env Env, args []string) error {
	f := NewFlags(env, "backup", config.Storage)
	out := f.String("out", "", "backup file to write (default: DATA/backups/sodamolek-YYYYMMDD-HHMMSS.db)")
	if err := f.Parse(args); err != nil {
		return err
	}
	cfg := f.Config
	// Open the database only (no migrations): a backup must not change
	// what it copies.
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir, database.Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Dialect == database.Postgres {
		fmt.Fprintln(env.Stdout, database.PgDumpCommand(cfg.DatabaseURL, *out))
		return nil
	}
	dest := *out
	if dest == "" {
		dest = filepath.Join(cfg.DataDir, "backups", "sodamolek-"+time.Now().UTC().Format("20060102-150405")+".db")
	}
	if err := db.BackupSQLite(ctx, dest); err != nil {
		return errors.New("backup failed: " + err.Error())
	}
	fmt.Fprintln(env.Stdout, dest)
	return nil
}
