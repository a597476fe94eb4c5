-- Configuration audits and verification (ISO/IEC 20000-1:2018 8.2.6; manual §8.1.7, §8.1.9, §8.1.11): an observed
-- inventory compared with the CMDB, and each difference kept as a finding with its corrective action and result.

CREATE TABLE cmdb_audits (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    scope_classes TEXT NOT NULL,
    scope_location TEXT NULL,
    file_name TEXT NOT NULL,
    observed_count INTEGER NOT NULL,
    in_scope_count INTEGER NOT NULL,
    matched_count INTEGER NOT NULL,
    missing_count INTEGER NOT NULL,
    unexpected_count INTEGER NOT NULL,
    differing_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    performed_at TEXT NOT NULL,
    performed_by TEXT NULL,
    performed_by_name TEXT NOT NULL,
    closed_at TEXT NULL,
    closed_by TEXT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cmdb_audit_findings (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES cmdb_audits (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ci_id TEXT NULL REFERENCES cmdb_items (id),
    ci_identifier TEXT NULL,
    class_key TEXT NOT NULL,
    name TEXT NOT NULL,
    observed_row INTEGER NULL,
    differences TEXT NOT NULL,
    action_text TEXT NULL,
    action_owner_id TEXT NULL,
    action_due TEXT NULL,
    result_text TEXT NULL,
    resolved_by TEXT NULL,
    resolved_by_name TEXT NULL,
    resolved_at TEXT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (audit_id, number)
);
CREATE INDEX ix_cmdb_audit_findings_ci ON cmdb_audit_findings (ci_id);
