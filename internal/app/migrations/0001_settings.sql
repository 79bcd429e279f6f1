-- Platform-wide key/value settings (e.g. when demo data was seeded).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
