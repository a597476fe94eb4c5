CREATE TABLE sla_services (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    owner_id UUID NULL,
    lifecycle TEXT NOT NULL,
    service_hours TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE sla_service_customers (
    service_id UUID NOT NULL REFERENCES sla_services (id),
    organisation_id UUID NOT NULL,
    PRIMARY KEY (service_id, organisation_id)
);
CREATE INDEX ix_sla_service_customers_org ON sla_service_customers (organisation_id);

CREATE TABLE sla_projects (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    organisation_id UUID NOT NULL,
    manager_id UUID NOT NULL,
    contract_ref TEXT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_sla_projects_org ON sla_projects (organisation_id);

CREATE TABLE sla_project_processes (
    project_id UUID NOT NULL REFERENCES sla_projects (id),
    process TEXT NOT NULL,
    PRIMARY KEY (project_id, process)
);

CREATE TABLE sla_project_services (
    project_id UUID NOT NULL REFERENCES sla_projects (id),
    service_id UUID NOT NULL REFERENCES sla_services (id),
    PRIMARY KEY (project_id, service_id)
);

CREATE TABLE sla_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO sla_counters (name, value) VALUES ('agreement', 0);

CREATE TABLE sla_agreements (
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    service_id UUID NULL REFERENCES sla_services (id),
    organisation_id UUID NULL,
    group_id UUID NULL,
    supplier TEXT NULL,
    project_id UUID NULL REFERENCES sla_projects (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_sla_agreements_org ON sla_agreements (organisation_id);
CREATE INDEX ix_sla_agreements_group ON sla_agreements (group_id);

CREATE TABLE sla_agreement_versions (
    id UUID PRIMARY KEY,
    agreement_id UUID NOT NULL REFERENCES sla_agreements (id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    effective_from TIMESTAMPTZ NULL,
    effective_to TIMESTAMPTZ NULL,
    calendar_id UUID NULL,
    availability_target DOUBLE PRECISION NULL,
    warning_percent INTEGER NOT NULL,
    pause_statuses TEXT NOT NULL,
    on_reopen TEXT NOT NULL,
    notes TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NULL,
    approved_by UUID NULL,
    approved_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (agreement_id, number)
);

CREATE TABLE sla_targets (
    version_id UUID NOT NULL REFERENCES sla_agreement_versions (id),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    response_minutes INTEGER NULL,
    resolution_minutes INTEGER NULL,
    PRIMARY KEY (version_id, priority)
);

CREATE TABLE sla_clocks (
    incident_id UUID NOT NULL,
    agreement_id UUID NOT NULL REFERENCES sla_agreements (id),
    metric TEXT NOT NULL,
    version_id UUID NOT NULL REFERENCES sla_agreement_versions (id),
    calendar_id UUID NOT NULL,
    organisation_id UUID NOT NULL,
    service_id UUID NULL,
    priority INTEGER NOT NULL,
    target_minutes INTEGER NOT NULL,
    state TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    running_since TIMESTAMPTZ NULL,
    elapsed_minutes DOUBLE PRECISION NOT NULL,
    due_at TIMESTAMPTZ NULL,
    warn_at TIMESTAMPTZ NULL,
    stopped_at TIMESTAMPTZ NULL,
    warned_at TIMESTAMPTZ NULL,
    breached_at TIMESTAMPTZ NULL,
    PRIMARY KEY (incident_id, agreement_id, metric)
);
CREATE INDEX ix_sla_clocks_due ON sla_clocks (state, due_at);
CREATE INDEX ix_sla_clocks_warn ON sla_clocks (state, warn_at);
CREATE INDEX ix_sla_clocks_calendar ON sla_clocks (calendar_id, state);
CREATE INDEX ix_sla_clocks_stopped ON sla_clocks (metric, stopped_at);

CREATE TABLE sla_clock_pauses (
    incident_id UUID NOT NULL,
    agreement_id UUID NOT NULL,
    metric TEXT NOT NULL,
    paused_at TIMESTAMPTZ NOT NULL,
    resumed_at TIMESTAMPTZ NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (incident_id, agreement_id, metric, paused_at)
);

CREATE TABLE sla_escalation_rules (
    id UUID PRIMARY KEY,
    agreement_id UUID NULL REFERENCES sla_agreements (id),
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    level TEXT NOT NULL,
    min_priority INTEGER NOT NULL,
    notify_assignee BOOLEAN NOT NULL,
    notify_group_lead BOOLEAN NOT NULL,
    notify_service_owner BOOLEAN NOT NULL,
    reassign_group_id UUID NULL,
    raise_priority BOOLEAN NOT NULL,
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE sla_escalations (
    rule_id UUID NOT NULL REFERENCES sla_escalation_rules (id),
    incident_id UUID NOT NULL,
    agreement_id UUID NOT NULL,
    metric TEXT NOT NULL,
    fired_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rule_id, incident_id, agreement_id, metric)
);

CREATE TABLE sla_breaches (
    id UUID PRIMARY KEY,
    incident_id UUID NOT NULL,
    agreement_id UUID NOT NULL REFERENCES sla_agreements (id),
    metric TEXT NOT NULL,
    organisation_id UUID NOT NULL,
    service_id UUID NULL,
    priority INTEGER NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    breached_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (incident_id, agreement_id, metric)
);
CREATE INDEX ix_sla_breaches_at ON sla_breaches (breached_at);

-- Calendars whose edits still have to be applied to running clocks (written with the edit, worked off by the evaluation job).
CREATE TABLE sla_replans (
    calendar_id UUID PRIMARY KEY,
    requested_at TIMESTAMPTZ NOT NULL
);
