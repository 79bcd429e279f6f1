-- The audit log: who did what to which object, when, and how it looked
-- before and after. Rows are only ever added (see the audit_guard set,
-- whose triggers refuse UPDATE and DELETE on both engines).
--
-- before_json and after_json hold JSON text; they never hold a full NIK or
-- other identifier (callers record masked values), because an audit row
-- cannot be corrected or erased later.
CREATE TABLE audit_log (
	id          {{pk}},
	at          TEXT NOT NULL,
	-- user, apikey, anonymous or system (audit.ActorKind).
	actor_kind  TEXT NOT NULL,
	actor_id    BIGINT NOT NULL DEFAULT 0,
	actor_name  TEXT NOT NULL DEFAULT '',
	actor_ip    TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	before_json TEXT,
	after_json  TEXT,
	note        TEXT NOT NULL DEFAULT ''
);

-- Search is newest first (by id) with optional filters; each filter has an
-- index that ends in id so the keyset page is an index range scan.
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
