CREATE TABLE sla_services (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    owner_id TEXT NULL,
    lifecycle TEXT NOT NULL,
    service_hours TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE sla_service_customers (
    service_id TEXT NOT NULL REFERENCES sla_services (id),
    organisation_id TEXT NOT NULL,
    PRIMARY KEY (service_id, organisation_id)
);
CREATE INDEX ix_sla_service_customers_org ON sla_service_customers (organisation_id);

CREATE TABLE sla_projects (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    manager_id TEXT NOT NULL,
    contract_ref TEXT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_sla_projects_org ON sla_projects (organisation_id);

CREATE TABLE sla_project_processes (
    project_id TEXT NOT NULL REFERENCES sla_projects (id),
    process TEXT NOT NULL,
    PRIMARY KEY (project_id, process)
);

CREATE TABLE sla_project_services (
    project_id TEXT NOT NULL REFERENCES sla_projects (id),
    service_id TEXT NOT NULL REFERENCES sla_services (id),
    PRIMARY KEY (project_id, service_id)
);

CREATE TABLE sla_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO sla_counters (name, value) VALUES ('agreement', 0);

CREATE TABLE sla_agreements (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    service_id TEXT NULL REFERENCES sla_services (id),
    organisation_id TEXT NULL,
    group_id TEXT NULL,
    supplier TEXT NULL,
    project_id TEXT NULL REFERENCES sla_projects (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_sla_agreements_org ON sla_agreements (organisation_id);
CREATE INDEX ix_sla_agreements_group ON sla_agreements (group_id);

CREATE TABLE sla_agreement_versions (
    id TEXT PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES sla_agreements (id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    effective_from TEXT NULL,
    effective_to TEXT NULL,
    calendar_id TEXT NULL,
    availability_target REAL NULL,
    warning_percent INTEGER NOT NULL,
    pause_statuses TEXT NOT NULL,
    on_reopen TEXT NOT NULL,
    notes TEXT NOT NULL,
    submitted_at TEXT NULL,
    approved_by TEXT NULL,
    approved_at TEXT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (agreement_id, number)
);

CREATE TABLE sla_targets (
    version_id TEXT NOT NULL REFERENCES sla_agreement_versions (id),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    response_minutes INTEGER NULL,
    resolution_minutes INTEGER NULL,
    PRIMARY KEY (version_id, priority)
);

CREATE TABLE sla_clocks (
    incident_id TEXT NOT NULL,
    agreement_id TEXT NOT NULL REFERENCES sla_agreements (id),
    metric TEXT NOT NULL,
    version_id TEXT NOT NULL REFERENCES sla_agreement_versions (id),
    calendar_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    service_id TEXT NULL,
    priority INTEGER NOT NULL,
    target_minutes INTEGER NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    running_since TEXT NULL,
    elapsed_minutes REAL NOT NULL,
    due_at TEXT NULL,
    warn_at TEXT NULL,
    stopped_at TEXT NULL,
    warned_at TEXT NULL,
    breached_at TEXT NULL,
    PRIMARY KEY (incident_id, agreement_id, metric)
);
CREATE INDEX ix_sla_clocks_due ON sla_clocks (state, due_at);
CREATE INDEX ix_sla_clocks_warn ON sla_clocks (state, warn_at);
CREATE INDEX ix_sla_clocks_calendar ON sla_clocks (calendar_id, state);
CREATE INDEX ix_sla_clocks_stopped ON sla_clocks (metric, stopped_at);

CREATE TABLE sla_clock_pauses (
    incident_id TEXT NOT NULL,
    agreement_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    paused_at TEXT NOT NULL,
    resumed_at TEXT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (incident_id, agreement_id, metric, paused_at)
);

CREATE TABLE sla_escalation_rules (
    id TEXT PRIMARY KEY,
    agreement_id TEXT NULL REFERENCES sla_agreements (id),
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    level TEXT NOT NULL,
    min_priority INTEGER NOT NULL,
    notify_assignee INTEGER NOT NULL,
    notify_group_lead INTEGER NOT NULL,
    notify_service_owner INTEGER NOT NULL,
    reassign_group_id TEXT NULL,
    raise_priority INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE sla_escalations (
    rule_id TEXT NOT NULL REFERENCES sla_escalation_rules (id),
    incident_id TEXT NOT NULL,
    agreement_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    PRIMARY KEY (rule_id, incident_id, agreement_id, metric)
);

CREATE TABLE sla_breaches (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    agreement_id TEXT NOT NULL REFERENCES sla_agreements (id),
    metric TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    service_id TEXT NULL,
    priority INTEGER NOT NULL,
    due_at TEXT NOT NULL,
    breached_at TEXT NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (incident_id, agreement_id, metric)
);
CREATE INDEX ix_sla_breaches_at ON sla_breaches (breached_at);

-- Calendars whose edits still have to be applied to running clocks (written with the edit, worked off by the evaluation job).
CREATE TABLE sla_replans (
    calendar_id TEXT PRIMARY KEY,
    requested_at TEXT NOT NULL
);
