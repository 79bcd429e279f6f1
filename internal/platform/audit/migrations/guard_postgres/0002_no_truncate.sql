-- PostgreSQL: TRUNCATE bypasses row triggers; refuse it with a statement
-- trigger so the log cannot be emptied wholesale either.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
