-- Units: the city's perangkat daerah (OPD), kecamatan and kelurahan
-- offices, puskesmas and outside stakeholders (police, land office), in
-- one hierarchy. Codes are stable, human-readable keys (e.g. "dlhk",
-- "kel-53.71.01.1001") that other tables and the CLI refer to.
CREATE TABLE units (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	short_name  TEXT NOT NULL DEFAULT '',
	type        TEXT NOT NULL,
	parent_code TEXT REFERENCES units (code),
	region_code TEXT NOT NULL DEFAULT '',
	lat         DOUBLE PRECISION,
	lon         DOUBLE PRECISION,
	active      BOOLEAN NOT NULL DEFAULT TRUE,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_code);

-- The kelurahan a unit serves (a Polsek its kecamatan's kelurahan, a
-- puskesmas its work area). Empty means "wherever its parent serves".
CREATE TABLE unit_service_areas (
	unit_code      TEXT NOT NULL REFERENCES units (code),
	kelurahan_code TEXT NOT NULL,
	PRIMARY KEY (unit_code, kelurahan_code)
);
CREATE INDEX unit_service_areas_kelurahan ON unit_service_areas (kelurahan_code);
