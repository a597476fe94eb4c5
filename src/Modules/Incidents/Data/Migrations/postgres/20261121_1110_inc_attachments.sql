CREATE TABLE inc_attachments (
    id UUID PRIMARY KEY,
    incident_id UUID NOT NULL REFERENCES inc_incidents (id),
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    is_public BOOLEAN NOT NULL,
    uploaded_by UUID NULL,
    uploaded_by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_inc_attachments_incident ON inc_attachments (incident_id, created_at);
