package services

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"

	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// seedCatalog stores the default services (see SeedCatalog).
func (m *Module) seedCatalog(ctx context.Context) error {
	now := database.TimeArg(m.d.Clock.Now())
	return m.d.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, s := range SeedCatalog() {
			if err := s.Validate(); err != nil {
				return err
			}
			def, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO svc_services (code, definition, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (code) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
				WHERE svc_services.edited = FALSE AND svc_services.definition <> excluded.definition`, s.Code, string(def), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// services returns the active catalog, sorted: letters first, then by name.
func (m *Module) services(ctx context.Context) ([]Service, error) {
	rows, err := m.d.DB.QueryContext(ctx, `SELECT definition FROM svc_services WHERE active = TRUE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Service
	for rows.Next() {
		var def string
		if err := rows.Scan(&def); err != nil {
			return nil, err
		}
		var s Service
		if err := json.Unmarshal([]byte(def), &s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return out[i].Category > out[j].Category // "surat" before "perizinan"
		}
		return out[i].Name < out[j].Name
	})
	return out, rows.Err()
}

// service loads one service definition (active or not: files of a
// retired service must still be handled).
func (m *Module) service(ctx context.Context, q database.Querier, code string) (*Service, error) {
	var def string
	err := q.QueryRowContext(ctx, `SELECT definition FROM svc_services WHERE code = $1`, code).Scan(&def)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, err
	}
	var s Service
	if err := json.Unmarshal([]byte(def), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// saveService stores an administrator's definition; it is then never
// overwritten by seeding.
func (m *Module) saveService(ctx context.Context, tx *sql.Tx, s Service, active bool) error {
	def, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO svc_services (code, definition, active, edited, updated_at) VALUES ($1, $2, $3, TRUE, $4)
		ON CONFLICT (code) DO UPDATE SET definition = excluded.definition, active = excluded.active, edited = TRUE, updated_at = excluded.updated_at`,
		s.Code, string(def), active, database.TimeArg(m.d.Clock.Now()))
	return err
}
