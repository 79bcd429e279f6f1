package app

import (
	"context"
	"database/sql"
	"embed"
	"errors"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

//go:embed migrations/*.sql
var settingsFiles embed.FS

// settingsMigrations holds the platform's small key/value table (e.g.
// whether demo data was seeded).
var settingsMigrations = database.FromDir("platform", settingsFiles, "migrations")

func getSetting(ctx context.Context, db *database.DB, key string) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setSetting(ctx context.Context, db *database.DB, key, value string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
