CREATE TABLE sys_audit_entries (
    seq INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NOT NULL,
    organisation_id TEXT NULL,
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
CREATE TRIGGER trg_sys_audit_entries_no_update BEFORE UPDATE ON sys_audit_entries
BEGIN SELECT RAISE(ABORT, 'sys_audit_entries is append-only'); END;
CREATE TRIGGER trg_sys_audit_entries_no_delete BEFORE DELETE ON sys_audit_entries
BEGIN SELECT RAISE(ABORT, 'sys_audit_entries is append-only'); END;

CREATE TABLE sys_data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL,
    created_at TEXT NOT NULL
);
