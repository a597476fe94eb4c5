CREATE TABLE doc_documents (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    tier text NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
    title_en text NOT NULL,
    title_zh text NOT NULL,
    owner_id uuid NULL,
    -- JSON array of clauses served, such as ["2018:7.5.3", "2005:3.2"]
    clauses text NOT NULL,
    review_months integer NOT NULL,
    retention_months integer NULL,
    next_review_on text NULL,
    reminded_for text NULL,
    starter_key text NULL UNIQUE,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL
);
CREATE INDEX ix_doc_documents_review ON doc_documents (next_review_on);

CREATE TABLE doc_versions (
    id uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES doc_documents (id),
    number integer NOT NULL,
    label text NOT NULL,
    status text NOT NULL,
    body text NOT NULL,
    change_note text NOT NULL,
    file_hash text NULL,
    file_name text NULL,
    file_type text NULL,
    file_size bigint NULL,
    created_at timestamptz NOT NULL,
    created_by uuid NULL,
    created_by_name text NOT NULL,
    submitted_at timestamptz NULL,
    approved_at timestamptz NULL,
    approved_by uuid NULL,
    approved_by_name text NULL,
    approval_reason text NULL,
    effective_at timestamptz NULL,
    retained_at timestamptz NULL,
    UNIQUE (document_id, number)
);

-- Approved, effective and retained versions are records (ISO/IEC 20000-1:2018 7.5.3): the database refuses to
-- change their content or to delete any version, whatever the code above it does.
CREATE FUNCTION doc_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'doc_versions: versions are kept, never deleted';
    END IF;
    IF OLD.status <> 'draft' AND (NEW.label, NEW.body, NEW.change_note, NEW.file_hash, NEW.file_name, NEW.file_type, NEW.file_size)
        IS DISTINCT FROM (OLD.label, OLD.body, OLD.change_note, OLD.file_hash, OLD.file_name, OLD.file_type, OLD.file_size) THEN
        RAISE EXCEPTION 'doc_versions: approved, effective and retained versions are immutable';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER doc_versions_immutable BEFORE UPDATE OR DELETE ON doc_versions FOR EACH ROW EXECUTE FUNCTION doc_versions_guard();

CREATE TABLE doc_holders (
    document_id uuid NOT NULL REFERENCES doc_documents (id),
    user_id uuid NOT NULL,
    added_at timestamptz NOT NULL,
    PRIMARY KEY (document_id, user_id)
);

CREATE TABLE doc_acknowledgements (
    version_id uuid NOT NULL REFERENCES doc_versions (id),
    user_id uuid NOT NULL,
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (version_id, user_id)
);

CREATE TABLE doc_counters (
    name text PRIMARY KEY,
    value integer NOT NULL
);
