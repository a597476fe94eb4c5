CREATE TABLE sys_audit_entries (
    seq BIGINT PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_id UUID NULL,
    actor_name TEXT NOT NULL,
    organisation_id UUID NULL,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    reason TEXT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ix_sys_audit_entries_record ON sys_audit_entries (record_type, record_id, seq);

-- The audit trail is append-only: the database itself refuses edits and deletes made through SQL.
CREATE FUNCTION sys_audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sys_audit_entries is append-only';
END;
$$;
CREATE TRIGGER trg_sys_audit_entries_append_only BEFORE UPDATE OR DELETE ON sys_audit_entries
FOR EACH ROW EXECUTE FUNCTION sys_audit_entries_append_only();

CREATE TABLE sys_data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
