package workdays

import (
	"context"
	"database/sql"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/clock"
	"github.com/sodamolek/sodamolek/internal/platform/database"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the holidays and office-hours tables (module
// "workdays").
var Migrations = database.FromDir("workdays", migrationFiles, "migrations")

// Store keeps the holiday table and the units' office hours, and hands
// out Calendars. The calendar is cached and reloaded when the table
// changes (checked at most every few seconds, so an edit on another
// server is seen shortly after; an edit through this Store at once).
type Store struct {
	db    *database.DB
	clock clock.Clock
	loc   *time.Location

	mu       sync.Mutex
	cal      *Calendar
	stamp    string
	checked  time.Time
	maxStale time.Duration

	// Office hours of every unit that has its own, cached like the
	// calendar (deadlines are computed on every report intake).
	hoursMu      sync.Mutex
	hours        map[string]Hours
	hoursStamp   string
	hoursChecked time.Time
}

// NewStore returns a store over db whose calendars are in loc.
func NewStore(db *database.DB, clk clock.Clock, loc *time.Location) *Store {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Store{db: db, clock: clk, loc: loc, maxStale: 2 * time.Second}
}

// Location is the city's time zone.
func (s *Store) Location() *time.Location { return s.loc }

// Calendar returns the current calendar.
func (s *Store) Calendar(ctx context.Context) (*Calendar, error) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && now.Sub(s.checked) < s.maxStale && !now.Before(s.checked) {
		return s.cal, nil
	}
	var maxUpdated sql.NullString
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(updated_at), COUNT(*) FROM holidays`).Scan(&maxUpdated, &n); err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%s/%d", maxUpdated.String, n)
	if s.cal != nil && stamp == s.stamp {
		s.checked = now
		return s.cal, nil
	}
	list, err := s.list(ctx, "")
	if err != nil {
		return nil, err
	}
	s.cal, s.stamp, s.checked = NewCalendar(s.loc, list), stamp, now
	return s.cal, nil
}

// Invalidate drops the cached calendar (after a change made in a
// transaction the caller committed).
func (s *Store) Invalidate() {
	s.mu.Lock()
	s.cal = nil
	s.mu.Unlock()
}

// List returns the days off of a year (0: every year), by date.
func (s *Store) List(ctx context.Context, year int) ([]Holiday, error) {
	prefix := ""
	if year > 0 {
		prefix = fmt.Sprintf("%04d-", year)
	}
	return s.list(ctx, prefix)
}

func (s *Store) list(ctx context.Context, prefix string) ([]Holiday, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day, name, kind, provisional, source FROM holidays
		WHERE NOT deleted AND day LIKE $1 ORDER BY day`, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Holiday
	for rows.Next() {
		var h Holiday
		var kind string
		if err := rows.Scan(&h.Date, &h.Name, &kind, &h.Provisional, &h.Source); err != nil {
			return nil, err
		}
		h.Kind = Kind(kind)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Save adds a day off or replaces the stored one, using q (the caller's
// transaction, so that the change and its audit entry commit together).
func (s *Store) Save(ctx context.Context, q database.Querier, h Holiday) error {
	h.Name = strings.TrimSpace(h.Name)
	if err := h.Validate(); err != nil {
		return err
	}
	now := database.TimeArg(s.clock.Now())
	_, err := q.ExecContext(ctx, `INSERT INTO holidays (day, name, kind, provisional, source, deleted, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6)
		ON CONFLICT (day) DO UPDATE SET name = $2, kind = $3, provisional = $4, source = $5, deleted = FALSE, updated_at = $6`,
		h.Date, h.Name, string(h.Kind), h.Provisional, h.Source, now)
	s.Invalidate()
	return err
}

// Delete makes a day a working day again. The row stays, marked deleted,
// so that seeding does not restore it.
func (s *Store) Delete(ctx context.Context, q database.Querier, date string) error {
	if _, err := time.Parse(DateLayout, date); err != nil {
		return fmt.Errorf("holiday date %q: want YYYY-MM-DD", date)
	}
	_, err := q.ExecContext(ctx, `UPDATE holidays SET deleted = TRUE, updated_at = $2 WHERE day = $1`, date, database.TimeArg(s.clock.Now()))
	s.Invalidate()
	return err
}

// Seed stores the built-in days that have never been stored (an edited or
// deleted day is left as the administrator left it) and returns how many
// it added.
func (s *Store) Seed(ctx context.Context) (int, error) {
	added := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := database.TimeArg(s.clock.Now())
		for _, h := range Builtin {
			res, err := tx.ExecContext(ctx, `INSERT INTO holidays (day, name, kind, provisional, source, deleted, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6) ON CONFLICT (day) DO NOTHING`,
				h.Date, h.Name, string(h.Kind), h.Provisional, h.Source, now)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return nil
	})
	if added > 0 {
		s.Invalidate()
	}
	return added, err
}

// ImportError names the CSV line that is wrong.
type ImportError struct {
	Line int
	Err  error
}

func (e *ImportError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ImportError) Unwrap() error { return e.Err }

// ParseCSV reads an import file: a header "date,name,kind" with an
// optional fourth column "provisional" (true/false), one day per line.
// Every line is checked before anything is stored.
func ParseCSV(r io.Reader) ([]Holiday, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, &ImportError{1, fmt.Errorf("want a header date,name,kind[,provisional]: %w", err)}
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	if len(header) < 3 || header[0] != "date" || header[1] != "name" || header[2] != "kind" {
		return nil, &ImportError{1, errors.New("want a header date,name,kind[,provisional]")}
	}
	var out []Holiday
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &ImportError{line, err}
		}
		if len(rec) < 3 {
			return nil, &ImportError{line, errors.New("want date,name,kind")}
		}
		h := Holiday{Date: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), Kind: Kind(strings.TrimSpace(rec[2])), Source: "import"}
		if len(rec) > 3 && strings.TrimSpace(rec[3]) != "" {
			p, err := strconv.ParseBool(strings.TrimSpace(rec[3]))
			if err != nil {
				return nil, &ImportError{line, fmt.Errorf("provisional %q: want true or false", rec[3])}
			}
			h.Provisional = p
		}
		if err := h.Validate(); err != nil {
			return nil, &ImportError{line, err}
		}
		out = append(out, h)
	}
}

// UnitHours returns a unit's office hours (DefaultHours unless set).
func (s *Store) UnitHours(ctx context.Context, unitCode string) (Hours, error) {
	all, err := s.allHours(ctx)
	if err != nil {
		return Hours{}, err
	}
	if h, ok := all[unitCode]; ok {
		return h, nil
	}
	return DefaultHours, nil
}

func (s *Store) allHours(ctx context.Context) (map[string]Hours, error) {
	now := s.clock.Now()
	s.hoursMu.Lock()
	defer s.hoursMu.Unlock()
	if s.hours != nil && now.Sub(s.hoursChecked) < s.maxStale && !now.Before(s.hoursChecked) {
		return s.hours, nil
	}
	var maxUpdated sql.NullString
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(updated_at), COUNT(*) FROM unit_office_hours`).Scan(&maxUpdated, &n); err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%s/%d", maxUpdated.String, n)
	if s.hours != nil && stamp == s.hoursStamp {
		s.hoursChecked = now
		return s.hours, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT unit_code, hours FROM unit_office_hours`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	all := map[string]Hours{}
	for rows.Next() {
		var unit, spec string
		if err := rows.Scan(&unit, &spec); err != nil {
			return nil, err
		}
		// A hand-edited row that no longer parses must not stop deadlines
		// from being computed; the default is the legal baseline.
		if h, err := ParseHours(spec); err == nil {
			all[unit] = h
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.hours, s.hoursStamp, s.hoursChecked = all, stamp, now
	return all, nil
}

// SetUnitHours stores a unit's office hours, using q.
func (s *Store) SetUnitHours(ctx context.Context, q database.Querier, unitCode string, h Hours) error {
	if h.Weekly() == 0 {
		return errors.New("office hours: no open day")
	}
	_, err := q.ExecContext(ctx, `INSERT INTO unit_office_hours (unit_code, hours, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (unit_code) DO UPDATE SET hours = $2, updated_at = $3`, unitCode, h.String(), database.TimeArg(s.clock.Now()))
	s.hoursMu.Lock()
	s.hours = nil
	s.hoursMu.Unlock()
	return err
}
