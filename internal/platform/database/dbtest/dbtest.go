// Package dbtest gives tests a fresh, migrated database on the engine the
// environment chooses, so the whole suite runs unchanged on SQLite and on
// PostgreSQL:
//
//	SODAMOLEK_TEST_DB unset                → SQLite in a temporary directory
//	SODAMOLEK_TEST_DB=postgres://…/test    → a new PostgreSQL database per
//	                                         call, created through that URL
//	                                         and dropped when the test ends
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// EnvVar names the variable that selects the test engine.
const EnvVar = "SODAMOLEK_TEST_DB"

// Engine reports which engine tests run on, for test names and skips.
func Engine() database.Dialect {
	if os.Getenv(EnvVar) != "" {
		return database.Postgres
	}
	return database.SQLite
}

// URL returns a database URL for a fresh empty database and registers its
// removal with t.Cleanup. Tests that start a server process use it.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	}
	name := "sodamolek_t_" + randomSuffix()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer c.Close()
		// WITH (FORCE) ends connections a test may have leaked.
		_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("dbtest: %s is not a URL: %v", EnvVar, err)
	}
	u.Path = "/" + name
	return u.String()
}

// New opens a fresh database, applies the given migration sets and closes
// it when the test ends.
func New(t testing.TB, sets ...database.Migrations) *database.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, URL(t), t.TempDir(), database.Options{})
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, sets...); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return db
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
