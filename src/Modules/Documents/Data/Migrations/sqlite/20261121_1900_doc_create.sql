CREATE TABLE doc_documents (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    tier TEXT NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    owner_id TEXT NULL,
    -- JSON array of clauses served, such as ["2018:7.5.3", "2005:3.2"]
    clauses TEXT NOT NULL,
    review_months INTEGER NOT NULL,
    retention_months INTEGER NULL,
    next_review_on TEXT NULL,
    reminded_for TEXT NULL,
    starter_key TEXT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_doc_documents_review ON doc_documents (next_review_on);

CREATE TABLE doc_versions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES doc_documents (id),
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    change_note TEXT NOT NULL,
    file_hash TEXT NULL,
    file_name TEXT NULL,
    file_type TEXT NULL,
    file_size INTEGER NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    created_by_name TEXT NOT NULL,
    submitted_at TEXT NULL,
    approved_at TEXT NULL,
    approved_by TEXT NULL,
    approved_by_name TEXT NULL,
    approval_reason TEXT NULL,
    effective_at TEXT NULL,
    retained_at TEXT NULL,
    UNIQUE (document_id, number)
);

-- Approved, effective and retained versions are records (ISO/IEC 20000-1:2018 7.5.3): the database refuses to
-- change their content or to delete any version, whatever the code above it does.
CREATE TRIGGER doc_versions_immutable BEFORE UPDATE OF label, body, change_note, file_hash, file_name, file_type, file_size ON doc_versions
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'doc_versions: approved, effective and retained versions are immutable');
END;
CREATE TRIGGER doc_versions_kept BEFORE DELETE ON doc_versions
BEGIN
    SELECT RAISE(ABORT, 'doc_versions: versions are kept, never deleted');
END;

CREATE TABLE doc_holders (
    document_id TEXT NOT NULL REFERENCES doc_documents (id),
    user_id TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (document_id, user_id)
);

CREATE TABLE doc_acknowledgements (
    version_id TEXT NOT NULL REFERENCES doc_versions (id),
    user_id TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (version_id, user_id)
);

CREATE TABLE doc_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
