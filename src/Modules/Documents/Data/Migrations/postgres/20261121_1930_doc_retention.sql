-- Records kept for their retention period, then disposed of under control (ISO/IEC 20000-1:2018 7.5.3; 2005 3.2;
-- manual §1.4): a legal hold on a document, the disposal of a retained version and a disposal log kept forever.

ALTER TABLE doc_documents ADD COLUMN legal_hold_reason text NULL;
ALTER TABLE doc_documents ADD COLUMN legal_hold_at timestamptz NULL;
ALTER TABLE doc_documents ADD COLUMN legal_hold_by_name text NULL;

-- A disposed version keeps its register entry: label, file name, size and SHA-256 stay; its content (the body, and
-- the file in sys_blobs unless another record still holds the same file) is gone, the body's SHA-256 kept.
ALTER TABLE doc_versions ADD COLUMN body_sha256 text NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_at timestamptz NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_by uuid NULL;
ALTER TABLE doc_versions ADD COLUMN disposed_by_name text NULL;
ALTER TABLE doc_versions ADD COLUMN disposal_reason text NULL;
-- The retain-until date the owner was last told had passed, so each due date is announced once.
ALTER TABLE doc_versions ADD COLUMN disposal_reminded_for text NULL;

-- Disposal is the one change a version that is a record may still undergo: a retained version, not under legal
-- hold, becomes disposed with a reason, its body emptied and nothing else of its content touched. A disposed version
-- never changes again.
CREATE OR REPLACE FUNCTION doc_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'doc_versions: versions are kept, never deleted';
    END IF;
    IF OLD.status = 'disposed' THEN
        RAISE EXCEPTION 'doc_versions: a disposed version is final';
    END IF;
    IF NEW.status = 'disposed' AND (OLD.status <> 'retained' OR NEW.disposed_at IS NULL OR COALESCE(NEW.disposal_reason, '') = ''
        OR (SELECT legal_hold_reason FROM doc_documents WHERE id = NEW.document_id) IS NOT NULL) THEN
        RAISE EXCEPTION 'doc_versions: only a retained version off legal hold is disposed, with a reason';
    END IF;
    IF OLD.status <> 'draft' AND (
        (NEW.label, NEW.change_note, NEW.file_hash, NEW.file_name, NEW.file_type, NEW.file_size)
            IS DISTINCT FROM (OLD.label, OLD.change_note, OLD.file_hash, OLD.file_name, OLD.file_type, OLD.file_size)
        OR (NEW.body IS DISTINCT FROM OLD.body AND NOT (OLD.status = 'retained' AND NEW.status = 'disposed' AND NEW.body = ''))) THEN
        RAISE EXCEPTION 'doc_versions: approved, effective and retained versions are immutable';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TABLE doc_disposals (
    id uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES doc_documents (id),
    version_id uuid NOT NULL UNIQUE REFERENCES doc_versions (id),
    document_code text NOT NULL,
    title_en text NOT NULL,
    title_zh text NOT NULL,
    version_label text NOT NULL,
    version_number integer NOT NULL,
    file_name text NULL,
    file_hash text NULL,
    file_size bigint NULL,
    file_removed boolean NOT NULL,
    body_sha256 text NOT NULL,
    retention_months integer NOT NULL,
    retained_at timestamptz NOT NULL,
    retain_until text NOT NULL,
    reason text NOT NULL,
    disposed_at timestamptz NOT NULL,
    disposed_by uuid NULL,
    disposed_by_name text NOT NULL
);
CREATE INDEX ix_doc_disposals_at ON doc_disposals (disposed_at);

-- The disposal log is itself a record, kept forever.
CREATE FUNCTION doc_disposals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'doc_disposals: the disposal log is never changed or deleted';
END;
$$;
CREATE TRIGGER doc_disposals_kept BEFORE UPDATE OR DELETE ON doc_disposals FOR EACH ROW EXECUTE FUNCTION doc_disposals_guard();
