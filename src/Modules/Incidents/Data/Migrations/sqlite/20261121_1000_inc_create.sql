CREATE TABLE inc_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO inc_counters (name, value) VALUES ('incident', 0);

CREATE TABLE inc_categories (
    id TEXT PRIMARY KEY,
    parent_id TEXT NULL REFERENCES inc_categories (id),
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    sort INTEGER NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE inc_priority_matrix (
    impact TEXT NOT NULL,
    urgency TEXT NOT NULL,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    PRIMARY KEY (impact, urgency)
);
INSERT INTO inc_priority_matrix (impact, urgency, priority) VALUES
    ('high', 'high', 1), ('high', 'medium', 2), ('high', 'low', 3),
    ('medium', 'high', 2), ('medium', 'medium', 3), ('medium', 'low', 4),
    ('low', 'high', 3), ('low', 'medium', 4), ('low', 'low', 5);

CREATE TABLE inc_incidents (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL,
    caller_id TEXT NULL,
    caller_name TEXT NOT NULL,
    caller_contact TEXT NULL,
    channel TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id TEXT NULL REFERENCES inc_categories (id),
    service_ref TEXT NULL,
    ci_ref TEXT NULL,
    impact TEXT NOT NULL,
    urgency TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    pending_reason TEXT NULL,
    assignment_group_id TEXT NULL,
    assignee_id TEXT NULL,
    is_major INTEGER NOT NULL DEFAULT 0,
    parent_id TEXT NULL REFERENCES inc_incidents (id),
    resolution_code TEXT NULL,
    resolution_notes TEXT NULL,
    cancel_reason TEXT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    updated_at TEXT NOT NULL,
    first_response_at TEXT NULL,
    resolved_at TEXT NULL,
    closed_at TEXT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_inc_incidents_queue ON inc_incidents (status, priority, created_at);
CREATE INDEX ix_inc_incidents_organisation ON inc_incidents (organisation_id, status, priority, created_at);
CREATE INDEX ix_inc_incidents_assignee ON inc_incidents (assignee_id, status, priority, created_at);
CREATE INDEX ix_inc_incidents_group ON inc_incidents (assignment_group_id, status, priority, created_at);
CREATE INDEX ix_inc_incidents_parent ON inc_incidents (parent_id);
CREATE INDEX ix_inc_incidents_resolved ON inc_incidents (status, resolved_at);

CREATE TABLE inc_comments (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES inc_incidents (id),
    author_id TEXT NULL,
    author_name TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    body TEXT NOT NULL,
    minutes_spent INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_inc_comments_incident ON inc_comments (incident_id, created_at);

CREATE TABLE inc_links (
    incident_id TEXT NOT NULL REFERENCES inc_incidents (id),
    related_id TEXT NOT NULL REFERENCES inc_incidents (id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, related_id, kind)
);
CREATE INDEX ix_inc_links_related ON inc_links (related_id);

CREATE TABLE inc_idempotency (
    user_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    incident_id TEXT NOT NULL REFERENCES inc_incidents (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

-- Full-text search (dialect seam): an FTS5 table whose rowid is the incident number.
CREATE VIRTUAL TABLE inc_search USING fts5 (doc, tokenize = 'unicode61');
