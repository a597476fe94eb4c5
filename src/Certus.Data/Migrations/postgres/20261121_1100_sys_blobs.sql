-- Files (attachments, evidence) by content hash: stored once, referenced from each module's own rows.
CREATE TABLE sys_blobs (
    hash TEXT PRIMARY KEY,
    content BYTEA NOT NULL,
    size BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
