-- Files (attachments, evidence) by content hash: stored once, referenced from each module's own rows.
CREATE TABLE sys_blobs (
    hash TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
