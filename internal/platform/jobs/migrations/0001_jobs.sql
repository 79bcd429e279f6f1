-- One row per unit of background work, from enqueue to its final state.
-- Instants are TEXT in database.TimeLayout, so comparisons such as
-- run_at <= now are plain string comparisons on both engines.
CREATE TABLE jobs (
	id           {{pk}},
	kind         TEXT NOT NULL,
	-- JSON as text: both engines store it unchanged and the package never
	-- queries inside it.
	payload      TEXT NOT NULL,
	-- available, running, succeeded or failed (see jobs.State*).
	state        TEXT NOT NULL,
	-- attempt counts claims, so the attempt being run is never 0.
	attempt      INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	run_at       TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	attempted_at TEXT,
	finished_at  TEXT,
	-- The lease: which worker holds a running job and until when. A worker
	-- that dies leaves it behind, and once locked_until passes another
	-- worker takes the job again.
	locked_by    TEXT,
	locked_until TEXT,
	last_error   TEXT NOT NULL DEFAULT '',
	unique_key   TEXT
);

-- Claims look for available jobs in run_at order; rescues look for running
-- jobs whose lease expired.
CREATE INDEX jobs_state_run_at ON jobs (state, run_at);

-- The administrator's view filters by kind, newest first.
CREATE INDEX jobs_kind_id ON jobs (kind, id);

-- A unique key holds only while its job is waiting or running: once the job
-- has finished, the same key may be enqueued again.
CREATE UNIQUE INDEX jobs_unique_key_active ON jobs (unique_key)
	WHERE unique_key IS NOT NULL AND state IN ('available', 'running');

-- Periodic jobs: the last period each schedule has enqueued. Advancing the
-- row is the claim on a period, which is what makes N servers enqueue a
-- period's job once.
CREATE TABLE job_schedules (
	kind        TEXT PRIMARY KEY,
	last_period TEXT NOT NULL
);
