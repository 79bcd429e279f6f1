-- The working-day calendar (DOMAIN.md §1): national holidays and cuti
-- bersama, one row per calendar day in the city's time zone. Rows are
-- never removed: deleting a day marks it deleted, so that seeding the
-- built-in list at the next start does not bring it back.
CREATE TABLE holidays (
	day         TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	-- libur_nasional, cuti_bersama or libur_daerah (workdays.Kind)
	kind        TEXT NOT NULL,
	-- true for dates announced as estimates (a year whose SKB is not out)
	provisional BOOLEAN NOT NULL DEFAULT FALSE,
	source      TEXT NOT NULL DEFAULT '',
	deleted     BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

-- Office hours of a unit when they differ from the default
-- (Mon–Thu 07:30–16:00, Fri 07:30–16:30), as a spec string such as
-- "mon-thu 07:30-16:00; fri 07:30-16:30" (workdays.ParseHours).
CREATE TABLE unit_office_hours (
	unit_code  TEXT PRIMARY KEY,
	hours      TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
