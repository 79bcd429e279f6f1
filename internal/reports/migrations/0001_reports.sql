-- Citizen reports (DOMAIN.md §3): categories and routing rules as data,
-- the reports themselves, their history, photos and supporters.

-- A category is what a citizen reports (and an Open311 service). Its
-- extra questions (attributes_json) use the Open311 datatypes; its SLA
-- targets are specs such as "3wd" (working days), "8wh" (working hours)
-- or "30min" (clock minutes, for emergencies that never wait for office
-- hours).
CREATE TABLE report_categories (
	code              TEXT PRIMARY KEY,
	grp               TEXT NOT NULL,
	name_id           TEXT NOT NULL,
	name_en           TEXT NOT NULL,
	description_id    TEXT NOT NULL DEFAULT '',
	description_en    TEXT NOT NULL DEFAULT '',
	keywords          TEXT NOT NULL DEFAULT '',
	default_privacy   TEXT NOT NULL,
	response_target   TEXT NOT NULL,
	resolution_target TEXT NOT NULL,
	-- emergency numbers to phone as well ("112, 113"); empty for ordinary
	-- categories
	emergency_numbers TEXT NOT NULL DEFAULT '',
	attributes_json   TEXT NOT NULL DEFAULT '[]',
	active            BOOLEAN NOT NULL DEFAULT TRUE,
	sort_order        INTEGER NOT NULL DEFAULT 0,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);

-- Routing: category × area → target. area_level is kelurahan, kecamatan
-- or city (area_code ''); the most specific rule wins. target is a unit
-- code, "serving:<prefix>" (the unit with that code prefix whose service
-- area holds the kelurahan, e.g. the Polsek), "nearest:<prefix>" (the
-- nearest unit with that prefix, e.g. a fire post) or "kelurahan-office".
CREATE TABLE report_routes (
	id            {{pk}},
	category_code TEXT NOT NULL REFERENCES report_categories (code),
	area_level    TEXT NOT NULL,
	area_code     TEXT NOT NULL DEFAULT '',
	target        TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (category_code, area_level, area_code)
);

CREATE TABLE reports (
	id                {{pk}},
	-- what the reporter keeps: LPR-XXXX-XXXX, from an alphabet without
	-- 0/O/1/I; possession of it is what lets an anonymous reporter follow,
	-- confirm, reopen and rate
	tracking_code     TEXT NOT NULL UNIQUE,
	-- SHA-256 of the client's idempotency key (API header, form token,
	-- gateway message id): a replayed submission finds its report
	idempotency_key   TEXT UNIQUE,
	category_code     TEXT NOT NULL REFERENCES report_categories (code),
	status            TEXT NOT NULL,
	is_open           BOOLEAN NOT NULL,
	-- public, anonymous (public without the reporter) or confidential
	privacy           TEXT NOT NULL,
	-- shown in public lists, maps and Open311: not confidential, not merged
	listed            BOOLEAN NOT NULL,
	description       TEXT NOT NULL,
	attributes_json   TEXT NOT NULL DEFAULT '{}',
	lat               DOUBLE PRECISION,
	lon               DOUBLE PRECISION,
	address           TEXT NOT NULL DEFAULT '',
	kelurahan_code    TEXT NOT NULL,
	kecamatan_code    TEXT NOT NULL,
	unit_code         TEXT NOT NULL,
	assignee_user_id  BIGINT,
	assignee_name     TEXT NOT NULL DEFAULT '',
	reporter_user_id  BIGINT,
	-- the reporter's name shown publicly, only for public reports whose
	-- reporter agreed; otherwise ''
	public_name       TEXT NOT NULL DEFAULT '',
	-- name, phone and e-mail sealed with pii.Sealer (JSON); staff read it
	-- and every read is audited
	contact_sealed    TEXT NOT NULL DEFAULT '',
	contact_masked    TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL,
	source_ref        TEXT NOT NULL DEFAULT '',
	media_url         TEXT NOT NULL DEFAULT '',
	locale            TEXT NOT NULL DEFAULT 'id',
	supporters        INTEGER NOT NULL DEFAULT 0,
	merged_into       BIGINT,
	reject_reason     TEXT NOT NULL DEFAULT '',
	escalation_level  INTEGER NOT NULL DEFAULT 0,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	first_response_at TEXT,
	done_at           TEXT,
	closed_at         TEXT,
	response_due_at   TEXT,
	resolution_due_at TEXT,
	-- the deadline running now (response, then resolution); NULL once done
	due_at            TEXT,
	-- when the SLA job must look at the report next (escalation or
	-- auto-close); NULL when nothing is pending
	next_check_at     TEXT,
	rating            INTEGER,
	rating_comment    TEXT NOT NULL DEFAULT ''
);
-- Every index costs each intake a page write, so there are only those
-- the lists need (measured with 1,000,000 reports, see bench_test.go):
-- The agency queue: newest first inside a unit, open ones or all, by
-- category or by kelurahan; a second filter scans one of these in id
-- order. (Without the category and kelurahan ones a rare combination,
-- say a category the unit never gets, scanned the unit's whole history.)
CREATE INDEX reports_unit ON reports (unit_code, id);
CREATE INDEX reports_unit_open ON reports (unit_code, is_open, id);
CREATE INDEX reports_unit_status ON reports (unit_code, status, id);
CREATE INDEX reports_unit_category ON reports (unit_code, category_code, id);
CREATE INDEX reports_unit_kelurahan ON reports (unit_code, kelurahan_code, id);
-- The city-wide queue (administrators) by category.
CREATE INDEX reports_category ON reports (category_code, id);
-- Public list and map.
CREATE INDEX reports_listed ON reports (listed, id);
CREATE INDEX reports_listed_kelurahan ON reports (listed, kelurahan_code, id);
CREATE INDEX reports_listed_category ON reports (listed, category_code, id);
-- Open reports are a small part of a city's history: the public "open"
-- filter reads them by status (a few short ranges, then a small sort)
-- instead of scanning years of closed ones in id order.
CREATE INDEX reports_listed_status ON reports (listed, status, id);
-- …and the city-wide queue's open reports.
CREATE INDEX reports_open ON reports (id) WHERE is_open = TRUE;
-- Statistics windows and Open311 date ranges.
CREATE INDEX reports_created ON reports (created_at);
-- SLA job.
CREATE INDEX reports_next_check ON reports (next_check_at) WHERE next_check_at IS NOT NULL;
-- "My reports".
CREATE INDEX reports_reporter ON reports (reporter_user_id, id) WHERE reporter_user_id IS NOT NULL;
-- Duplicates nearby: open reports of a category in a latitude band.
CREATE INDEX reports_nearby ON reports (category_code, lat) WHERE is_open = TRUE;

-- The history: every state change, transfer, assignment, update, note,
-- escalation and rating. public rows make the citizen's timeline.
CREATE TABLE report_events (
	id            {{pk}},
	report_id     BIGINT NOT NULL REFERENCES reports (id),
	at            TEXT NOT NULL,
	kind          TEXT NOT NULL,
	status        TEXT NOT NULL,
	public        BOOLEAN NOT NULL,
	actor_kind    TEXT NOT NULL,
	actor_user_id BIGINT,
	actor_name    TEXT NOT NULL DEFAULT '',
	unit_code     TEXT NOT NULL DEFAULT '',
	to_unit_code  TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events (report_id, id);
CREATE INDEX report_events_public_at ON report_events (at) WHERE public = TRUE;

-- Photos: the reporter's (with the report) and proof of work (with the
-- "done" event). Files live in the upload store, stripped of metadata.
CREATE TABLE report_photos (
	id           {{pk}},
	report_id    BIGINT NOT NULL REFERENCES reports (id),
	event_id     BIGINT REFERENCES report_events (id),
	file_key     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	width        INTEGER NOT NULL DEFAULT 0,
	height       INTEGER NOT NULL DEFAULT 0,
	size_bytes   BIGINT NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL
);
CREATE INDEX report_photos_report ON report_photos (report_id, id);
CREATE INDEX report_photos_event ON report_photos (event_id) WHERE event_id IS NOT NULL;

-- "Saya juga mengalami ini": supporters and followers. follower_key
-- dedupes one person per report (an account, a phone's blind index, or a
-- visitor's address); contact_sealed is where their notifications go.
CREATE TABLE report_supporters (
	id             {{pk}},
	report_id      BIGINT NOT NULL REFERENCES reports (id),
	follower_key   TEXT NOT NULL,
	user_id        BIGINT,
	contact_sealed TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL,
	UNIQUE (report_id, follower_key)
);
CREATE INDEX report_supporters_user ON report_supporters (user_id) WHERE user_id IS NOT NULL;
