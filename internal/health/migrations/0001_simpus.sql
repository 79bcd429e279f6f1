-- SIMPUS: puskesmas, patients, queue, visits, diagnoses, drugs, reports,
-- SKDR and child growth. Units (puskesmas, Dinas Kesehatan, Brigade
-- Sehat) live in the platform's units table and are referred to by code.

-- The puskesmas' SATUSEHAT ids. A facility registered in SATUSEHAT gets an
-- organisation id from Kemenkes; until an administrator records it, the
-- unit code stands in, so local identifiers stay stable and unique.
CREATE TABLE health_facilities (
	puskesmas_code   TEXT PRIMARY KEY REFERENCES units (code),
	satusehat_org_id TEXT NOT NULL,
	updated_at       TEXT NOT NULL
);

-- Polis (clinics) of each puskesmas: umum, gigi, KIA/KB, MTBS, lab.
CREATE TABLE health_polis (
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	code           TEXT NOT NULL,
	name           TEXT NOT NULL,
	sort_order     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (puskesmas_code, code)
);

-- Posyandu (community health posts) in a puskesmas' work area.
CREATE TABLE health_posyandu (
	id             {{pk}},
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	kelurahan_code TEXT NOT NULL,
	name           TEXT NOT NULL,
	UNIQUE (kelurahan_code, name)
);
CREATE INDEX health_posyandu_pkm ON health_posyandu (puskesmas_code);

-- Patients. The NIK is sealed (pii.Sealer) with a blind index for lookup
-- and duplicate detection; nik_masked is what lists show. A patient
-- without a NIK (a newborn, a visitor without papers) is found by the
-- puskesmas' medical-record number. Infants carry their mother's NIK the
-- same way (SATUSEHAT's nik-ibu identifier).
CREATE TABLE health_patients (
	id               {{pk}},
	puskesmas_code   TEXT NOT NULL REFERENCES units (code),
	mrn              TEXT NOT NULL,
	nik_sealed       TEXT NOT NULL DEFAULT '',
	nik_index        TEXT,
	nik_masked       TEXT NOT NULL DEFAULT '',
	bpjs_sealed      TEXT NOT NULL DEFAULT '',
	bpjs_masked      TEXT NOT NULL DEFAULT '',
	name             TEXT NOT NULL,
	sex              TEXT NOT NULL,
	birth_date       TEXT NOT NULL,
	kelurahan_code   TEXT NOT NULL DEFAULT '',
	address          TEXT NOT NULL DEFAULT '',
	mother_id        BIGINT REFERENCES health_patients (id),
	mother_nik_sealed TEXT NOT NULL DEFAULT '',
	mother_nik_index TEXT,
	mother_name      TEXT NOT NULL DEFAULT '',
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	UNIQUE (puskesmas_code, mrn)
);
CREATE UNIQUE INDEX health_patients_nik ON health_patients (nik_index);
CREATE INDEX health_patients_mother_nik ON health_patients (mother_nik_index);
CREATE INDEX health_patients_mother ON health_patients (mother_id);
CREATE INDEX health_patients_updated ON health_patients (updated_at);
CREATE INDEX health_patients_pkm_name ON health_patients (puskesmas_code, name);

-- Visits (kunjungan): one per patient per queue number. Instants are UTC
-- text; visit_date is the WITA day. Sex, age and kelurahan are copied at
-- registration so reports never join the patient table.
CREATE TABLE health_visits (
	id             {{pk}},
	patient_id     BIGINT NOT NULL REFERENCES health_patients (id),
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	poli_code      TEXT NOT NULL,
	visit_date     TEXT NOT NULL,
	status         TEXT NOT NULL,
	payer          TEXT NOT NULL DEFAULT 'umum',
	sex            TEXT NOT NULL,
	age_days       INTEGER NOT NULL,
	kelurahan_code TEXT NOT NULL DEFAULT '',
	arrived_at     TEXT NOT NULL,
	started_at     TEXT,
	finished_at    TEXT,
	systolic       INTEGER,
	diastolic      INTEGER,
	pulse          INTEGER,
	resp_rate      INTEGER,
	temp_c         DOUBLE PRECISION,
	weight_kg      DOUBLE PRECISION,
	height_cm      DOUBLE PRECISION,
	anamnesis      TEXT NOT NULL DEFAULT '',
	actions        TEXT NOT NULL DEFAULT '',
	updated_at     TEXT NOT NULL
);
CREATE INDEX health_visits_pkm_date ON health_visits (puskesmas_code, visit_date);
CREATE INDEX health_visits_date ON health_visits (visit_date);
CREATE INDEX health_visits_patient ON health_visits (patient_id);
CREATE INDEX health_visits_updated ON health_visits (updated_at);

-- Queue numbers per puskesmas, poli and day.
CREATE TABLE health_queue (
	id             {{pk}},
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	poli_code      TEXT NOT NULL,
	day            TEXT NOT NULL,
	number         INTEGER NOT NULL,
	visit_id       BIGINT NOT NULL REFERENCES health_visits (id),
	status         TEXT NOT NULL,
	taken_at       TEXT NOT NULL,
	called_at      TEXT,
	call_count     INTEGER NOT NULL DEFAULT 0,
	UNIQUE (puskesmas_code, poli_code, day, number)
);
CREATE INDEX health_queue_visit ON health_queue (visit_id);

-- Diagnoses of a visit. month (YYYY-MM), week_start (the Sunday of the
-- epi-week) and skdr_code are derived at write time so the reports read
-- one index range.
CREATE TABLE health_diagnoses (
	id             {{pk}},
	visit_id       BIGINT NOT NULL REFERENCES health_visits (id),
	patient_id     BIGINT NOT NULL REFERENCES health_patients (id),
	puskesmas_code TEXT NOT NULL,
	icd10          TEXT NOT NULL,
	case_type      TEXT NOT NULL,
	is_primary     BOOLEAN NOT NULL DEFAULT FALSE,
	visit_date     TEXT NOT NULL,
	month          TEXT NOT NULL,
	week_start     TEXT NOT NULL,
	skdr_code      TEXT NOT NULL DEFAULT '',
	sex            TEXT NOT NULL,
	age_group      TEXT NOT NULL,
	created_at     TEXT NOT NULL
);
CREATE INDEX health_diagnoses_visit ON health_diagnoses (visit_id);
CREATE INDEX health_diagnoses_created ON health_diagnoses (created_at);
CREATE INDEX health_diagnoses_skdr ON health_diagnoses (week_start, skdr_code, puskesmas_code);

-- LB1 counts, maintained on every diagnosis written: a month's report for
-- a puskesmas (or the city) reads a few hundred rows, not the month's
-- diagnoses.
CREATE TABLE health_lb1 (
	puskesmas_code TEXT NOT NULL,
	month          TEXT NOT NULL,
	icd10          TEXT NOT NULL,
	age_group      TEXT NOT NULL,
	sex            TEXT NOT NULL,
	new_cases      INTEGER NOT NULL DEFAULT 0,
	old_cases      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (puskesmas_code, month, icd10, age_group, sex)
);
CREATE INDEX health_lb1_month ON health_lb1 (month, icd10);

-- Drugs: the catalogue, stock per puskesmas (maintained on write), and
-- every movement (receipt, dispensing) for the LPLPO.
CREATE TABLE health_drugs (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	unit       TEXT NOT NULL,
	sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE health_stock (
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	drug_code      TEXT NOT NULL REFERENCES health_drugs (code),
	qty            INTEGER NOT NULL,
	PRIMARY KEY (puskesmas_code, drug_code)
);
CREATE TABLE health_stock_moves (
	id             {{pk}},
	puskesmas_code TEXT NOT NULL REFERENCES units (code),
	drug_code      TEXT NOT NULL REFERENCES health_drugs (code),
	day            TEXT NOT NULL,
	month          TEXT NOT NULL,
	kind           TEXT NOT NULL,
	qty            INTEGER NOT NULL,
	visit_id       BIGINT REFERENCES health_visits (id),
	dosage         TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL
);
CREATE INDEX health_stock_moves_pkm_month ON health_stock_moves (puskesmas_code, month, drug_code);
CREATE INDEX health_stock_moves_visit ON health_stock_moves (visit_id);

-- SKDR: the outbreak-prone diseases with their weekly alert threshold
-- (cases per puskesmas per epi-week), and the alerts raised.
CREATE TABLE health_skdr_thresholds (
	skdr_code  TEXT PRIMARY KEY,
	threshold  INTEGER NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE health_skdr_alerts (
	id              {{pk}},
	puskesmas_code  TEXT NOT NULL,
	skdr_code       TEXT NOT NULL,
	week_start      TEXT NOT NULL,
	cases           INTEGER NOT NULL,
	threshold       INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	acknowledged_at TEXT,
	acknowledged_by TEXT NOT NULL DEFAULT '',
	UNIQUE (puskesmas_code, skdr_code, week_start)
);
CREATE TABLE health_settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Child growth: every measurement with its z-scores and categories as
-- computed when it was written (WHO tables do not change), and the weight
-- gain against the previous weighing (N naik, T tidak naik, O not weighed
-- last month, B first weighing).
CREATE TABLE health_measurements (
	id             {{pk}},
	patient_id     BIGINT NOT NULL REFERENCES health_patients (id),
	puskesmas_code TEXT NOT NULL,
	kelurahan_code TEXT NOT NULL,
	posyandu_id    BIGINT REFERENCES health_posyandu (id),
	measured_on    TEXT NOT NULL,
	month          TEXT NOT NULL,
	age_days       INTEGER NOT NULL,
	sex            TEXT NOT NULL,
	weight_kg      DOUBLE PRECISION,
	lenhei_cm      DOUBLE PRECISION,
	position       TEXT NOT NULL DEFAULT '',
	oedema         BOOLEAN NOT NULL DEFAULT FALSE,
	muac_cm        DOUBLE PRECISION,
	head_cm        DOUBLE PRECISION,
	lenhei_adj_cm  DOUBLE PRECISION,
	haz            DOUBLE PRECISION,
	waz            DOUBLE PRECISION,
	whz            DOUBLE PRECISION,
	baz            DOUBLE PRECISION,
	flags          TEXT NOT NULL DEFAULT '',
	stunting       TEXT NOT NULL DEFAULT '',
	wasting        TEXT NOT NULL DEFAULT '',
	underweight    TEXT NOT NULL DEFAULT '',
	gain           TEXT NOT NULL DEFAULT '',
	two_t          BOOLEAN NOT NULL DEFAULT FALSE,
	created_at     TEXT NOT NULL
);
CREATE INDEX health_measurements_patient ON health_measurements (patient_id, measured_on);
CREATE INDEX health_measurements_created ON health_measurements (created_at);

-- The latest measurement of every child, kept on write, so the follow-up
-- list reads one small indexed set instead of 4.8 M measurements.
CREATE TABLE health_growth_latest (
	patient_id     BIGINT PRIMARY KEY REFERENCES health_patients (id),
	measurement_id BIGINT NOT NULL,
	puskesmas_code TEXT NOT NULL,
	kelurahan_code TEXT NOT NULL,
	measured_on    TEXT NOT NULL,
	age_days       INTEGER NOT NULL,
	haz            DOUBLE PRECISION,
	waz            DOUBLE PRECISION,
	whz            DOUBLE PRECISION,
	stunting       TEXT NOT NULL,
	wasting        TEXT NOT NULL,
	underweight    TEXT NOT NULL,
	two_t          BOOLEAN NOT NULL,
	follow_up      BOOLEAN NOT NULL
);
-- The list pages walk these in order and stop after a page (the sort key
-- ends with patient_id, the tie-breaker).
CREATE INDEX health_growth_latest_kel ON health_growth_latest (follow_up, kelurahan_code, measured_on, patient_id);
CREATE INDEX health_growth_latest_pkm ON health_growth_latest (follow_up, puskesmas_code, measured_on, patient_id);
CREATE INDEX health_growth_latest_city ON health_growth_latest (follow_up, measured_on, patient_id);

-- How many children of each kelurahan (and puskesmas) are on the
-- follow-up list, kept with the latest measurements: counting them from
-- health_growth_latest city-wide read 84,000 rows (230 ms) at scale.
CREATE TABLE health_followup_counts (
	kelurahan_code TEXT NOT NULL,
	puskesmas_code TEXT NOT NULL,
	children       INTEGER NOT NULL DEFAULT 0,
	stunted        INTEGER NOT NULL DEFAULT 0,
	wasted         INTEGER NOT NULL DEFAULT 0,
	two_t          INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kelurahan_code, puskesmas_code)
);

-- Prevalence counts per month, kelurahan and puskesmas: each child counts
-- once per month, with its last measurement of that month. Kept on write,
-- so the map and the trends read at most a few thousand rows.
CREATE TABLE health_growth_stats (
	month          TEXT NOT NULL,
	kelurahan_code TEXT NOT NULL,
	puskesmas_code TEXT NOT NULL,
	measured       INTEGER NOT NULL DEFAULT 0,
	stunted        INTEGER NOT NULL DEFAULT 0,
	wasted         INTEGER NOT NULL DEFAULT 0,
	underweight    INTEGER NOT NULL DEFAULT 0,
	haz_measured   INTEGER NOT NULL DEFAULT 0,
	whz_measured   INTEGER NOT NULL DEFAULT 0,
	waz_measured   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, kelurahan_code, puskesmas_code)
);

-- Home visits by Brigade Kupang Sehat for children on the follow-up list.
CREATE TABLE health_home_visits (
	id             {{pk}},
	patient_id     BIGINT NOT NULL REFERENCES health_patients (id),
	puskesmas_code TEXT NOT NULL,
	kelurahan_code TEXT NOT NULL,
	unit_code      TEXT NOT NULL,
	reason         TEXT NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	done_at        TEXT
);
CREATE INDEX health_home_visits_unit ON health_home_visits (unit_code, status);
CREATE INDEX health_home_visits_patient ON health_home_visits (patient_id, status);
