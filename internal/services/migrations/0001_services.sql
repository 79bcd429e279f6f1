-- Administrative services and Si Pejuang (PKKPR → PBG). The catalog is
-- data: each service's definition (documents, fields, stages) is a JSON
-- document an administrator edits, so the engine never hard-codes a
-- service.
CREATE TABLE svc_services (
	code       TEXT PRIMARY KEY,
	definition TEXT NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	edited     BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at TEXT NOT NULL
);

-- One application (berkas). number is NULL while it is a draft and set
-- at the first submission. phone_last4 lets anyone holding the number
-- and the applicant's phone check the status without signing in.
CREATE TABLE svc_applications (
	id             {{pk}},
	number         TEXT UNIQUE,
	service_code   TEXT NOT NULL REFERENCES svc_services (code),
	applicant_id   BIGINT NOT NULL,
	applicant_name TEXT NOT NULL,
	phone          TEXT NOT NULL,
	phone_last4    TEXT NOT NULL,
	nik_sealed     TEXT NOT NULL,
	nik_masked     TEXT NOT NULL,
	kelurahan_code TEXT NOT NULL,
	parcel         TEXT NOT NULL DEFAULT '',
	ref_number     TEXT NOT NULL DEFAULT '',
	fields         TEXT NOT NULL,
	status         TEXT NOT NULL,
	revision       INTEGER NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TEXT NOT NULL,
	submitted_at   TEXT,
	completed_at   TEXT
);
CREATE INDEX svc_applications_applicant ON svc_applications (applicant_id, id);
CREATE INDEX svc_applications_service ON svc_applications (service_code, status);
CREATE INDEX svc_applications_parcel ON svc_applications (parcel, service_code);

-- Uploaded documents; every upload is kept (the newest per type is the
-- current one) so earlier versions stay in the history.
CREATE TABLE svc_uploads (
	id             {{pk}},
	application_id BIGINT NOT NULL REFERENCES svc_applications (id),
	doc_type       TEXT NOT NULL,
	file_key       TEXT NOT NULL,
	content_type   TEXT NOT NULL,
	size           BIGINT NOT NULL,
	revision       INTEGER NOT NULL,
	uploaded_at    TEXT NOT NULL
);
CREATE INDEX svc_uploads_application ON svc_uploads (application_id, doc_type, id);

-- Stage instances of a submitted application. version is the optimistic
-- concurrency token: an action updates the row only at the version the
-- officer saw, so of two officers acting at once exactly one wins.
CREATE TABLE svc_stages (
	id             {{pk}},
	application_id BIGINT NOT NULL REFERENCES svc_applications (id),
	code           TEXT NOT NULL,
	position       INTEGER NOT NULL,
	unit_code      TEXT NOT NULL,
	status         TEXT NOT NULL,
	assignee_id    BIGINT,
	started_at     TEXT,
	due_at         TEXT,
	finished_at    TEXT,
	escalated_at   TEXT,
	note           TEXT NOT NULL DEFAULT '',
	data           TEXT NOT NULL DEFAULT '{}',
	version        INTEGER NOT NULL DEFAULT 1,
	UNIQUE (application_id, code)
);
CREATE INDEX svc_stages_queue ON svc_stages (status, unit_code, due_at);

-- The timeline: every submission, action, payment and issue.
CREATE TABLE svc_events (
	id             {{pk}},
	application_id BIGINT NOT NULL REFERENCES svc_applications (id),
	at             TEXT NOT NULL,
	kind           TEXT NOT NULL,
	stage_code     TEXT NOT NULL DEFAULT '',
	unit_code      TEXT NOT NULL DEFAULT '',
	actor          TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	revision       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX svc_events_application ON svc_events (application_id, id);

-- Each submitted version of the fields and documents.
CREATE TABLE svc_versions (
	application_id BIGINT NOT NULL REFERENCES svc_applications (id),
	revision       INTEGER NOT NULL,
	snapshot       TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	PRIMARY KEY (application_id, revision)
);

-- Bills: PNBP for PKKPR, SKRD (retribution) for PBG.
CREATE TABLE svc_bills (
	id             {{pk}},
	number         TEXT NOT NULL UNIQUE,
	application_id BIGINT NOT NULL REFERENCES svc_applications (id),
	stage_code     TEXT NOT NULL,
	kind           TEXT NOT NULL,
	amount         BIGINT NOT NULL,
	breakdown      TEXT NOT NULL DEFAULT '{}',
	due_date       TEXT NOT NULL,
	status         TEXT NOT NULL,
	paid_at        TEXT,
	paid_amount    BIGINT,
	reference      TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL
);
CREATE INDEX svc_bills_application ON svc_bills (application_id);

-- Issued, signed documents. The signature covers the number and the
-- SHA-256 of the PDF bytes; facts are what the verification page shows.
CREATE TABLE svc_issued (
	number         TEXT PRIMARY KEY,
	application_id BIGINT NOT NULL UNIQUE REFERENCES svc_applications (id),
	pdf            {{blob}} NOT NULL,
	sha256         TEXT NOT NULL,
	signature      TEXT NOT NULL,
	key_id         TEXT NOT NULL,
	facts          TEXT NOT NULL,
	issued_at      TEXT NOT NULL
);
CREATE INDEX svc_issued_sha ON svc_issued (sha256);

-- The signing key pair (Ed25519), generated on first use; the private
-- key is sealed with the platform's personal-data key.
CREATE TABLE svc_signing_keys (
	key_id      TEXT PRIMARY KEY,
	public_key  TEXT NOT NULL,
	private_key TEXT NOT NULL,
	created_at  TEXT NOT NULL
);

CREATE TABLE svc_counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

-- Settings as JSON documents (the PBG retribution indices).
CREATE TABLE svc_settings (
	name       TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- IKM survey (PermenPANRB 14/2017): nine elements scored 1–4.
CREATE TABLE svc_surveys (
	application_id BIGINT PRIMARY KEY REFERENCES svc_applications (id),
	service_code   TEXT NOT NULL,
	unit_code      TEXT NOT NULL,
	u1 INTEGER NOT NULL, u2 INTEGER NOT NULL, u3 INTEGER NOT NULL,
	u4 INTEGER NOT NULL, u5 INTEGER NOT NULL, u6 INTEGER NOT NULL,
	u7 INTEGER NOT NULL, u8 INTEGER NOT NULL, u9 INTEGER NOT NULL,
	comment    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX svc_surveys_service ON svc_surveys (service_code);
