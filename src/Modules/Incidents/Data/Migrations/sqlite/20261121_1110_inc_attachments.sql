CREATE TABLE inc_attachments (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES inc_incidents (id),
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    uploaded_by TEXT NULL,
    uploaded_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_inc_attachments_incident ON inc_attachments (incident_id, created_at);
