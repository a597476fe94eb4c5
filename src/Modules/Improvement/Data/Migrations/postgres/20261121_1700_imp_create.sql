-- Nonconformity, corrective and preventive action, and the improvement register (ISO/IEC 20000-1:2018 10.1, 10.2;
-- 2005 4.4; manual §3.4.5).

CREATE TABLE imp_counters (
    prefix TEXT PRIMARY KEY,
    next_value INTEGER NOT NULL
);

CREATE TABLE imp_nonconformities (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    source_ref TEXT NULL,
    source_id TEXT NULL,
    title TEXT NOT NULL,
    description TEXT NULL,
    severity TEXT NOT NULL,
    clause TEXT NULL,
    owner_id UUID NULL,
    due_date TEXT NULL,
    correction TEXT NULL,
    root_cause TEXT NULL,
    action_text TEXT NULL,
    implementation_note TEXT NULL,
    effectiveness_result TEXT NULL,
    effectiveness_note TEXT NULL,
    effectiveness_checked_at TIMESTAMPTZ NULL,
    effectiveness_checked_by_name TEXT NULL,
    status TEXT NOT NULL,
    raised_at TIMESTAMPTZ NOT NULL,
    raised_by_name TEXT NOT NULL,
    closed_at TIMESTAMPTZ NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_imp_nonconformities_status ON imp_nonconformities (status, due_date);
CREATE UNIQUE INDEX ux_imp_nonconformities_source ON imp_nonconformities (source, source_id);

CREATE TABLE imp_improvements (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NULL,
    source TEXT NOT NULL,
    source_ref TEXT NULL,
    evaluation TEXT NULL,
    benefit INTEGER NULL,
    effort INTEGER NULL,
    priority TEXT NULL,
    owner_id UUID NULL,
    due_date TEXT NULL,
    outcome TEXT NULL,
    status TEXT NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    proposed_by_name TEXT NOT NULL,
    done_at TIMESTAMPTZ NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_imp_improvements_status ON imp_improvements (status);
