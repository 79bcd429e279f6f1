package units

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

// ErrNotFound is returned for an unknown unit code.
var ErrNotFound = errors.New("unit not found")

// Store reads and writes units. It keeps the whole tree in memory (a city
// has a few hundred units) and reloads it when another process changed it,
// so scope checks ("is this unit inside that one?") cost a map lookup.
type Store struct {
	db    *database.DB
	clock clock.Clock

	mu       sync.RWMutex
	tree     *Tree
	stamp    string    // MAX(updated_at) and COUNT(*) when the tree was loaded
	checked  time.Time // when stamp was last compared with the database
	maxStale time.Duration
}

// NewStore returns a store over db.
func NewStore(db *database.DB, clk clock.Clock) *Store {
	return &Store{db: db, clock: clk, maxStale: 2 * time.Second}
}

// Tree returns the current unit hierarchy. Changes made by another server
// process are seen within a couple of seconds; changes made through this
// Store are seen at once.
func (s *Store) Tree(ctx context.Context) (*Tree, error) {
	now := s.clock.Now()
	s.mu.RLock()
	t, fresh := s.tree, now.Sub(s.checked) < s.maxStale
	s.mu.RUnlock()
	if t != nil && fresh {
		return t, nil
	}
	var stamp string
	var maxUpdated sql.NullString
	var count int
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(updated_at), COUNT(*) FROM units`).Scan(&maxUpdated, &count); err != nil {
		return nil, err
	}
	stamp = fmt.Sprintf("%s/%d", maxUpdated.String, count)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tree != nil && s.stamp == stamp {
		s.checked = now
		return s.tree, nil
	}
	all, err := s.loadAll(ctx)
	if err != nil {
		return nil, err
	}
	s.tree, s.stamp, s.checked = newTree(all), stamp, now
	return s.tree, nil
}

func (s *Store) invalidate() {
	s.mu.Lock()
	s.tree = nil
	s.mu.Unlock()
}

func (s *Store) loadAll(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, short_name, type, COALESCE(parent_code, ''), region_code, lat, lon, active, created_at, updated_at FROM units ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []Unit
	index := map[string]int{}
	for rows.Next() {
		var u Unit
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&u.Code, &u.Name, &u.ShortName, &u.Type, &u.ParentCode, &u.RegionCode, &lat, &lon, &u.Active, database.T(&u.CreatedAt), database.T(&u.UpdatedAt)); err != nil {
			return nil, err
		}
		if lat.Valid && lon.Valid {
			u.Lat, u.Lon = &lat.Float64, &lon.Float64
		}
		index[u.Code] = len(all)
		all = append(all, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	areas, err := s.db.QueryContext(ctx, `SELECT unit_code, kelurahan_code FROM unit_service_areas ORDER BY unit_code, kelurahan_code`)
	if err != nil {
		return nil, err
	}
	defer areas.Close()
	for areas.Next() {
		var unit, kel string
		if err := areas.Scan(&unit, &kel); err != nil {
			return nil, err
		}
		if i, ok := index[unit]; ok {
			all[i].ServiceArea = append(all[i].ServiceArea, kel)
		}
	}
	return all, areas.Err()
}

// Get returns one unit.
func (s *Store) Get(ctx context.Context, code string) (Unit, error) {
	t, err := s.Tree(ctx)
	if err != nil {
		return Unit{}, err
	}
	u, ok := t.Get(code)
	if !ok {
		return Unit{}, ErrNotFound
	}
	return u, nil
}

// ValidationError names the field that is wrong and why, with a message
// key the web layer translates.
type ValidationError struct {
	Field, Code string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Code }

// Save creates or updates a unit, its parent link and service area, in
// one transaction. A parent that would make a cycle is refused.
func (s *Store) Save(ctx context.Context, u Unit) error {
	return s.Write(ctx, u, WriteOptions{})
}

// WriteOptions refine Write.
type WriteOptions struct {
	// CreateOnly refuses to overwrite an existing unit with the same code
	// (two administrators creating the same code at once: one wins, the
	// other is told the code is taken).
	CreateOnly bool
	// InTx runs inside the same transaction after the write, with the
	// unit as it was before (nil when new): the caller's audit record
	// commits together with the change or not at all.
	InTx func(tx *sql.Tx, before *Unit) error
}

// Write is Save with options.
func (s *Store) Write(ctx context.Context, u Unit, opts WriteOptions) error {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	switch {
	case !validCode(u.Code):
		return &ValidationError{"code", "unit_code_invalid"}
	case u.Name == "" || len(u.Name) > 200:
		return &ValidationError{"name", "unit_name_invalid"}
	case u.Type == "":
		return &ValidationError{"type", "unit_type_required"}
	case u.ParentCode == u.Code:
		return &ValidationError{"parent_code", "unit_parent_cycle"}
	case (u.Lat == nil) != (u.Lon == nil):
		return &ValidationError{"lat", "unit_location_incomplete"}
	}
	if u.Lat != nil && (*u.Lat < -90 || *u.Lat > 90 || *u.Lon < -180 || *u.Lon > 180) {
		return &ValidationError{"lat", "unit_location_invalid"}
	}
	if u.ParentCode != "" {
		t, err := s.Tree(ctx)
		if err != nil {
			return err
		}
		if _, ok := t.Get(u.ParentCode); !ok {
			return &ValidationError{"parent_code", "unit_parent_unknown"}
		}
		if t.IsWithin(u.ParentCode, u.Code) {
			return &ValidationError{"parent_code", "unit_parent_cycle"}
		}
	}
	now := database.TimeArg(s.clock.Now())
	var parent any
	if u.ParentCode != "" {
		parent = u.ParentCode
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.readTx(ctx, tx, u.Code)
		if err != nil {
			return err
		}
		if before != nil && opts.CreateOnly {
			return &ValidationError{"code", "unit_code_taken"}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO units (code, name, short_name, type, parent_code, region_code, lat, lon, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, type = excluded.type,
				parent_code = excluded.parent_code, region_code = excluded.region_code, lat = excluded.lat, lon = excluded.lon,
				active = excluded.active, updated_at = excluded.updated_at`,
			u.Code, u.Name, u.ShortName, string(u.Type), parent, u.RegionCode, u.Lat, u.Lon, u.Active, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM unit_service_areas WHERE unit_code = $1`, u.Code); err != nil {
			return err
		}
		area := append([]string(nil), u.ServiceArea...)
		sort.Strings(area)
		for i, kel := range area {
			if i > 0 && area[i-1] == kel {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO unit_service_areas (unit_code, kelurahan_code) VALUES ($1, $2)`, u.Code, kel); err != nil {
				return err
			}
		}
		if opts.InTx != nil {
			return opts.InTx(tx, before)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.invalidate()
	return nil
}

// readTx reads one unit inside a transaction (nil when absent), so a
// write sees the row it replaces even if another process changed it.
func (s *Store) readTx(ctx context.Context, tx *sql.Tx, code string) (*Unit, error) {
	var u Unit
	var lat, lon sql.NullFloat64
	err := tx.QueryRowContext(ctx, `SELECT code, name, short_name, type, COALESCE(parent_code, ''), region_code, lat, lon, active, created_at, updated_at FROM units WHERE code = $1`, code).
		Scan(&u.Code, &u.Name, &u.ShortName, &u.Type, &u.ParentCode, &u.RegionCode, &lat, &lon, &u.Active, database.T(&u.CreatedAt), database.T(&u.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if lat.Valid && lon.Valid {
		u.Lat, u.Lon = &lat.Float64, &lon.Float64
	}
	rows, err := tx.QueryContext(ctx, `SELECT kelurahan_code FROM unit_service_areas WHERE unit_code = $1 ORDER BY kelurahan_code`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		u.ServiceArea = append(u.ServiceArea, k)
	}
	return &u, rows.Err()
}

// validCode allows lower-case letters, digits, '-', '.' and '_': codes
// appear in URLs, CSV files and the CLI.
func validCode(c string) bool {
	if c == "" || len(c) > 64 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}
