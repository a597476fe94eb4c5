-- Problem management (ISO/IEC 20000-1:2018 8.6.3; 2005 8.3; manual §7.1, §7.3): problems and known errors, the incidents
-- they explain, and the changes raised or linked to remove their causes.

CREATE TABLE prb_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO prb_counters (name, value) VALUES ('problem', 0);

CREATE TABLE prb_problems (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    -- Problems belong to the provider: customers never see them.
    organisation_id TEXT NOT NULL,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- How the error shows itself to the service desk (searched with the known errors).
    symptoms TEXT NOT NULL,
    service_code TEXT NULL,
    category TEXT NOT NULL,
    priority INTEGER NOT NULL,
    owner_id TEXT NULL,
    assignment_group_id TEXT NULL,
    -- incident, major-incident, trend, release, proactive or audit, and the raising record's reference.
    source_kind TEXT NOT NULL,
    source_ref TEXT NULL,
    root_cause TEXT NOT NULL,
    workaround TEXT NOT NULL,
    resolution TEXT NOT NULL,
    closure_note TEXT NOT NULL,
    cancel_reason TEXT NULL,
    -- Set when the problem became a known error (root cause and workaround recorded); kept afterwards.
    known_error_at TEXT NULL,
    fixed_by_change TEXT NULL,
    fixed_at TEXT NULL,
    resolved_at TEXT NULL,
    closed_at TEXT NULL,
    reopened INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX prb_problems_state ON prb_problems (state, number);
CREATE INDEX prb_problems_service ON prb_problems (service_code);
CREATE INDEX prb_problems_owner ON prb_problems (owner_id);
CREATE INDEX prb_problems_source ON prb_problems (source_kind, source_ref);

-- The configuration items a problem affects, as they were named when recorded.
CREATE TABLE prb_problem_cis (
    problem_id TEXT NOT NULL REFERENCES prb_problems (id),
    ci_id TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (problem_id, ci_id)
);
CREATE INDEX prb_problem_cis_identifier ON prb_problem_cis (identifier);

-- Incidents the problem explains (an incident may be linked to several problems).
CREATE TABLE prb_problem_incidents (
    problem_id TEXT NOT NULL REFERENCES prb_problems (id),
    incident_id TEXT NOT NULL,
    incident_number INTEGER NOT NULL,
    linked_at TEXT NOT NULL,
    linked_by_name TEXT NOT NULL,
    PRIMARY KEY (problem_id, incident_id)
);
CREATE INDEX prb_problem_incidents_incident ON prb_problem_incidents (incident_id);
CREATE INDEX prb_problem_incidents_number ON prb_problem_incidents (incident_number);

-- Requests for change raised from the problem or linked to it, with the state change management last reported.
CREATE TABLE prb_problem_changes (
    problem_id TEXT NOT NULL REFERENCES prb_problems (id),
    change_id TEXT NOT NULL,
    change_number TEXT NOT NULL,
    how TEXT NOT NULL,
    state TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    linked_by_name TEXT NOT NULL,
    PRIMARY KEY (problem_id, change_id)
);
CREATE INDEX prb_problem_changes_change ON prb_problem_changes (change_id);

CREATE TABLE prb_idempotency (
    user_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    problem_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
