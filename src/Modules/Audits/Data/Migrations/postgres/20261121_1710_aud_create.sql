-- Internal audit and management review (ISO/IEC 20000-1:2018 9.2, 9.3; 2005 4.3; manual §2.1.10, §2.1.11, §3.4).

CREATE TABLE aud_areas (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NULL,
    owner_id UUID NOT NULL,
    members TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE aud_programmes (
    id UUID PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    objectives TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE aud_audits (
    id UUID PRIMARY KEY,
    programme_id UUID NOT NULL REFERENCES aud_programmes (id),
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    scope TEXT NOT NULL,
    criteria TEXT NOT NULL,
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NULL,
    started_at TIMESTAMPTZ NULL,
    reported_at TIMESTAMPTZ NULL,
    closed_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_aud_audits_reported ON aud_audits (status, reported_at);

CREATE TABLE aud_audit_areas (
    audit_id UUID NOT NULL REFERENCES aud_audits (id),
    area_id UUID NOT NULL REFERENCES aud_areas (id),
    PRIMARY KEY (audit_id, area_id)
);

CREATE TABLE aud_audit_auditors (
    audit_id UUID NOT NULL REFERENCES aud_audits (id),
    user_id UUID NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (audit_id, user_id)
);

CREATE TABLE aud_checklist_items (
    id UUID PRIMARY KEY,
    audit_id UUID NOT NULL REFERENCES aud_audits (id),
    seq INTEGER NOT NULL,
    clause TEXT NOT NULL,
    question TEXT NOT NULL,
    result TEXT NULL,
    notes TEXT NULL,
    version INTEGER NOT NULL,
    UNIQUE (audit_id, seq)
);

CREATE TABLE aud_findings (
    id UUID PRIMARY KEY,
    audit_id UUID NOT NULL REFERENCES aud_audits (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    clause TEXT NULL,
    area_id UUID NULL REFERENCES aud_areas (id),
    statement TEXT NOT NULL,
    evidence TEXT NOT NULL,
    nc_id UUID NULL,
    nc_number TEXT NULL,
    effectiveness_result TEXT NULL,
    effectiveness_note TEXT NULL,
    effectiveness_checked_at TIMESTAMPTZ NULL,
    effectiveness_checked_by_name TEXT NULL,
    status TEXT NOT NULL,
    close_note TEXT NULL,
    closed_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (audit_id, number)
);

CREATE TABLE aud_reviews (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    period_from TIMESTAMPTZ NOT NULL,
    period_to TIMESTAMPTZ NOT NULL,
    planned_date TEXT NOT NULL,
    chair_id UUID NULL,
    attendees TEXT NULL,
    status TEXT NOT NULL,
    minutes TEXT NULL,
    inputs TEXT NULL,
    held_at TIMESTAMPTZ NULL,
    closed_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_aud_reviews_held ON aud_reviews (status, held_at);

CREATE TABLE aud_review_actions (
    id UUID PRIMARY KEY,
    review_id UUID NOT NULL REFERENCES aud_reviews (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    owner_id UUID NULL,
    due_date TEXT NULL,
    status TEXT NOT NULL,
    outcome TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (review_id, number)
);
