-- Records kept for their retention period, then disposed of under control (ISO/IEC 20000-1:2018 7.5.3; 2005 3.2;
-- manual §1.4): a legal hold on a document, the disposal of a retained version and a disposal log kept forever.

ALTER TABLE doc_documents ADD COLUMN legal_hold_reason TEXT NULL;
ALTER TABLE doc_documents ADD COLUMN legal_hold_at TEXT NULL;
ALTER TABLE doc_documents ADD COLUMN legal_hold_by_name TEXT NULL;

-- A disposed version keeps its register entry: label, file name, size and SHA-256 stay; its content (the body, and
-- the file in sys_blobs unless another record still holds the same file) is gone, the body's SHA-256 kept.
ALTER TABLE doc_versions ADD COLUMN body_sha256 TEXT NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_at TEXT NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_by TEXT NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_by_name TEXT NULL;
ALTER TABLE doc_versions ADD COLUMN disposal_reason TEXT NULL;
-- The retain-until date the owner was last told had passed, so each due date is announced once.
ALTER TABLE doc_versions ADD COLUMN disposal_reminded_for TEXT NULL;

-- Disposal is the one change a version that is a record may still undergo: a retained version, not under legal
-- hold, becomes disposed with a reason, its body emptied and nothing else of its content touched. A disposed version
-- never changes again.
DROP TRIGGER doc_versions_immutable;
CREATE TRIGGER doc_versions_immutable BEFORE UPDATE ON doc_versions
WHEN OLD.status <> 'draft' AND (
    NEW.label IS NOT OLD.label OR NEW.change_note IS NOT OLD.change_note OR NEW.file_hash IS NOT OLD.file_hash
    OR NEW.file_name IS NOT OLD.file_name OR NEW.file_type IS NOT OLD.file_type OR NEW.file_size IS NOT OLD.file_size
    OR (NEW.body IS NOT OLD.body AND NOT (OLD.status = 'retained' AND NEW.status = 'disposed' AND NEW.body = '')))
BEGIN
    SELECT RAISE(ABORT, 'doc_versions: approved, effective and retained versions are immutable');
END;
CREATE TRIGGER doc_versions_disposal BEFORE UPDATE ON doc_versions
WHEN OLD.status = 'disposed'
    OR (NEW.status = 'disposed' AND (OLD.status <> 'retained' OR NEW.disposed_at IS NULL OR COALESCE(NEW.disposal_reason, '') = ''
        OR (SELECT legal_hold_reason FROM doc_documents WHERE id = NEW.document_id) IS NOT NULL))
BEGIN
    SELECT RAISE(ABORT, 'doc_versions: only a retained version off legal hold is disposed, with a reason, and a disposed version is final');
END;

CREATE TABLE doc_disposals (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES doc_documents (id),
    version_id TEXT NOT NULL UNIQUE REFERENCES doc_versions (id),
    document_code TEXT NOT NULL,
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    version_label TEXT NOT NULL,
    version_number INTEGER NOT NULL,
    file_name TEXT NULL,
    file_hash TEXT NULL,
    file_size INTEGER NULL,
    file_removed INTEGER NOT NULL,
    body_sha256 TEXT NOT NULL,
    retention_months INTEGER NOT NULL,
    retained_at TEXT NOT NULL,
    retain_until TEXT NOT NULL,
    reason TEXT NOT NULL,
    disposed_at TEXT NOT NULL,
    disposed_by TEXT NULL,
    disposed_by_name TEXT NOT NULL
);
CREATE INDEX ix_doc_disposals_at ON doc_disposals (disposed_at);

-- The disposal log is itself a record, kept forever.
CREATE TRIGGER doc_disposals_kept_update BEFORE UPDATE ON doc_disposals
BEGIN
    SELECT RAISE(ABORT, 'doc_disposals: the disposal log is never changed');
END;
CREATE TRIGGER doc_disposals_kept_delete BEFORE DELETE ON doc_disposals
BEGIN
    SELECT RAISE(ABORT, 'doc_disposals: the disposal log is never deleted');
END;
