-- Accounts: staff (username + password, one unit, roles) and citizens
-- (an Indonesian mobile number proven with a one-time code). A deleted
-- citizen account stays as a de-identified row, so that reports and other
-- rows owned elsewhere keep a valid reference.
CREATE TABLE users (
	id             {{pk}},
	-- staff or citizen (auth.Kind)
	kind           TEXT NOT NULL,
	-- Staff login name, lower case; NULL for citizens (NULLs never collide).
	username       TEXT UNIQUE,
	-- Citizens' E.164 number; NULL for staff and once de-identified.
	phone          TEXT UNIQUE,
	name           TEXT NOT NULL DEFAULT '',
	email          TEXT NOT NULL DEFAULT '',
	unit_code      TEXT REFERENCES units (code),
	kelurahan_code TEXT NOT NULL DEFAULT '',
	-- NIK: sealed (AES-256-GCM, pii.Sealer), a keyed blind index for
	-- lookups and duplicate detection, and the masked form lists show.
	nik_sealed     TEXT NOT NULL DEFAULT '',
	nik_index      TEXT UNIQUE,
	nik_masked     TEXT NOT NULL DEFAULT '',
	-- argon2id in PHC form: the parameters travel with the hash.
	password_hash  TEXT NOT NULL DEFAULT '',
	password_changed_at TEXT,
	-- TOTP secret, sealed; enabled only once a code from it was confirmed.
	totp_secret    TEXT NOT NULL DEFAULT '',
	totp_enabled   BOOLEAN NOT NULL DEFAULT FALSE,
	-- The last accepted time step: a code is never accepted twice.
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	disabled       BOOLEAN NOT NULL DEFAULT FALSE,
	deleted_at     TEXT,
	last_login_at  TEXT,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX users_unit ON users (unit_code, id);
CREATE INDEX users_kind ON users (kind, id);

-- Roles and what they grant, as data an administrator edits.
CREATE TABLE roles (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL
);

-- One scope per permission and role: unit, subtree or city (auth.Scope).
CREATE TABLE role_permissions (
	role_code  TEXT NOT NULL REFERENCES roles (code),
	permission TEXT NOT NULL,
	scope      TEXT NOT NULL,
	PRIMARY KEY (role_code, permission)
);

-- Which default grants seeding has already applied. A default is applied
-- once: if an administrator later removes or narrows it, seeding at the
-- next start does not put it back; a permission a new release declares
-- still gets its defaults.
CREATE TABLE role_permission_seeds (
	role_code  TEXT NOT NULL,
	permission TEXT NOT NULL,
	seeded_at  TEXT NOT NULL,
	PRIMARY KEY (role_code, permission)
);

CREATE TABLE user_roles (
	user_id   BIGINT NOT NULL REFERENCES users (id),
	role_code TEXT NOT NULL REFERENCES roles (code),
	PRIMARY KEY (user_id, role_code)
);
CREATE INDEX user_roles_role ON user_roles (role_code, user_id);

-- Web sessions. Only the SHA-256 of the cookie's token is stored, so a
-- copy of the database signs nobody in. mfa_state is '' for a full
-- session, 'verify' or 'enrol' while a staff member still owes the TOTP
-- step.
CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	csrf_token   TEXT NOT NULL,
	mfa_state    TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Bearer tokens for the JSON API (POST /api/v1/auth/login), hashed.
CREATE TABLE api_tokens (
	id           {{pk}},
	token_hash   TEXT NOT NULL UNIQUE,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	created_at   TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT,
	ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- API keys for integrations (Open311 clients, FHIR, POS devices, payment
-- gateways), hashed; scopes is a space-separated list.
CREATE TABLE api_keys (
	id                 {{pk}},
	name               TEXT NOT NULL,
	prefix             TEXT NOT NULL,
	key_hash           TEXT NOT NULL UNIQUE,
	scopes             TEXT NOT NULL,
	created_by         TEXT NOT NULL DEFAULT '',
	created_by_user_id BIGINT REFERENCES users (id),
	created_at         TEXT NOT NULL,
	last_used_at       TEXT,
	revoked_at         TEXT
);

-- One-time codes for citizens. The phone number and the code are stored
-- only as keyed digests (pii.Sealer.BlindIndex), so the table holds no
-- personal data and a copy of it reveals no live code.
CREATE TABLE otp_challenges (
	id         {{pk}},
	phone_key  TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX otp_challenges_phone ON otp_challenges (phone_key, id);
CREATE INDEX otp_challenges_created ON otp_challenges (created_at);

-- Failed sign-ins per account name, existing or not (keyed digest of the
-- lower-cased name, so a password typed into the name field is never
-- stored). Unknown names lock exactly like real ones, so the lock-out
-- reveals nothing about which accounts exist.
CREATE TABLE login_failures (
	account         TEXT PRIMARY KEY,
	failures        INTEGER NOT NULL,
	locked_until    TEXT,
	last_failure_at TEXT NOT NULL
);
