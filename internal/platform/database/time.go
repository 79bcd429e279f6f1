package database

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// TimeLayout is the one storage format for instants on both engines: UTC,
// fixed width (microseconds, always six digits), so that string order is
// time order and a value reads back identically from SQLite and PostgreSQL.
// The SQLite drivers each write time.Time differently, which is why
// instants never reach a driver as time.Time.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// DateLayout stores calendar days (in the city's time zone), e.g. a
// working day or a price observation date.
const DateLayout = "2006-01-02"

// TimeArg formats an instant for a query argument or column value.
func TimeArg(t time.Time) string { return t.UTC().Format(TimeLayout) }

// NullTimeArg formats an optional instant: nil for the zero time.
func NullTimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return TimeArg(t)
}

// ParseTime reads an instant in TimeLayout.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		// Accept RFC 3339 too: rows written by hand or by older tools.
		if t2, err2 := time.Parse(time.RFC3339Nano, s); err2 == nil {
			return t2.UTC(), nil
		}
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// T adapts a *time.Time for rows.Scan: rows.Scan(database.T(&u.CreatedAt)).
// NULL scans as the zero time.
func T(dst *time.Time) sql.Scanner { return timeScanner{dst} }

type timeScanner struct{ dst *time.Time }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.dst = time.Time{}
		return nil
	case string:
		t, err := ParseTime(v)
		*s.dst = t
		return err
	case []byte:
		t, err := ParseTime(string(v))
		*s.dst = t
		return err
	case time.Time:
		*s.dst = v.UTC()
		return nil
	default:
		return fmt.Errorf("cannot scan %T into a time", src)
	}
}

// Time is a column value type for structs that prefer a field type over
// the T adapter; it stores in TimeLayout and scans from it.
type Time struct{ time.Time }

// Value implements driver.Valuer.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return TimeArg(t.Time), nil
}

// Scan implements sql.Scanner.
func (t *Time) Scan(src any) error { return timeScanner{&t.Time}.Scan(src) }
