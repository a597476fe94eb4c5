-- Internal audit and management review (ISO/IEC 20000-1:2018 9.2, 9.3; 2005 4.3; manual §2.1.10, §2.1.11, §3.4).

CREATE TABLE aud_areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NULL,
    owner_id TEXT NOT NULL,
    members TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE aud_programmes (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    objectives TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE aud_audits (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES aud_programmes (id),
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    scope TEXT NOT NULL,
    criteria TEXT NOT NULL,
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NULL,
    started_at TEXT NULL,
    reported_at TEXT NULL,
    closed_at TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_aud_audits_reported ON aud_audits (status, reported_at);

CREATE TABLE aud_audit_areas (
    audit_id TEXT NOT NULL REFERENCES aud_audits (id),
    area_id TEXT NOT NULL REFERENCES aud_areas (id),
    PRIMARY KEY (audit_id, area_id)
);

CREATE TABLE aud_audit_auditors (
    audit_id TEXT NOT NULL REFERENCES aud_audits (id),
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (audit_id, user_id)
);

CREATE TABLE aud_checklist_items (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES aud_audits (id),
    seq INTEGER NOT NULL,
    clause TEXT NOT NULL,
    question TEXT NOT NULL,
    result TEXT NULL,
    notes TEXT NULL,
    version INTEGER NOT NULL,
    UNIQUE (audit_id, seq)
);

CREATE TABLE aud_findings (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES aud_audits (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    clause TEXT NULL,
    area_id TEXT NULL REFERENCES aud_areas (id),
    statement TEXT NOT NULL,
    evidence TEXT NOT NULL,
    nc_id TEXT NULL,
    nc_number TEXT NULL,
    effectiveness_result TEXT NULL,
    effectiveness_note TEXT NULL,
    effectiveness_checked_at TEXT NULL,
    effectiveness_checked_by_name TEXT NULL,
    status TEXT NOT NULL,
    close_note TEXT NULL,
    closed_at TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (audit_id, number)
);

CREATE TABLE aud_reviews (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    planned_date TEXT NOT NULL,
    chair_id TEXT NULL,
    attendees TEXT NULL,
    status TEXT NOT NULL,
    minutes TEXT NULL,
    inputs TEXT NULL,
    held_at TEXT NULL,
    closed_at TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_aud_reviews_held ON aud_reviews (status, held_at);

CREATE TABLE aud_review_actions (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES aud_reviews (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    owner_id TEXT NULL,
    due_date TEXT NULL,
    status TEXT NOT NULL,
    outcome TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (review_id, number)
);
