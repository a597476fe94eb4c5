-- Change management (ISO/IEC 20000-1:2018 8.5.1; 2005 9.2; manual §8.2): requests for change, the risk questionnaire,
-- templates for standard changes, change advisory boards and their votes, freeze and maintenance windows.

CREATE TABLE chg_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO chg_counters (name, value) VALUES ('change', 0);

CREATE TABLE chg_boards (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    -- Users holding this role are members, besides the members listed by name.
    member_role TEXT NULL,
    approval_mode TEXT NOT NULL,
    quorum INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE chg_board_members (
    board_id TEXT NOT NULL REFERENCES chg_boards (id),
    user_id TEXT NOT NULL,
    PRIMARY KEY (board_id, user_id)
);

CREATE TABLE chg_risk_questions (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    text_en TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    -- JSON array of {key, en, zh, score}.
    answers TEXT NOT NULL,
    active INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE chg_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE chg_templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    implementation_plan TEXT NOT NULL,
    backout_plan TEXT NOT NULL,
    test_plan TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE chg_changes (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    authorised_at TEXT NULL,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    description TEXT NOT NULL,
    -- internal (technical teams) or customer (raised for a customer through sales, manual §8.2.1).
    origin TEXT NOT NULL,
    template_id TEXT NULL REFERENCES chg_templates (id),
    source_kind TEXT NULL,
    source_ref TEXT NULL,
    requested_by TEXT NULL,
    requested_by_name TEXT NOT NULL,
    owner_id TEXT NULL,
    risk_answers TEXT NOT NULL,
    risk_score INTEGER NULL,
    risk_level TEXT NULL,
    impact TEXT NULL,
    implementation_plan TEXT NOT NULL,
    backout_plan TEXT NOT NULL,
    test_plan TEXT NOT NULL,
    customer_impact TEXT NOT NULL,
    cost_estimate NUMERIC NULL,
    cost_currency TEXT NULL,
    supplier_contract TEXT NULL,
    sla_impact TEXT NULL,
    cmdb_updates TEXT NOT NULL,
    cmdb_applied_at TEXT NULL,
    planned_start TEXT NULL,
    planned_end TEXT NULL,
    schedule_override TEXT NULL,
    actual_start TEXT NULL,
    actual_end TEXT NULL,
    approval_round INTEGER NOT NULL,
    board_id TEXT NULL REFERENCES chg_boards (id),
    outcome_reason TEXT NULL,
    review_result TEXT NULL,
    review_incidents TEXT NULL,
    review_lessons TEXT NULL,
    reviewed_at TEXT NULL,
    reviewed_by TEXT NULL,
    closed_at TEXT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX chg_changes_state ON chg_changes (state, number);
CREATE INDEX chg_changes_organisation ON chg_changes (organisation_id, number);
CREATE INDEX chg_changes_planned ON chg_changes (planned_start, planned_end);

-- The CIs a change declares (role declared) and those the CMDB was actually changed on under it (role touched).
CREATE TABLE chg_change_cis (
    change_id TEXT NOT NULL REFERENCES chg_changes (id),
    ci_id TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Known for declared CIs; touched CIs are named by configuration management when shown.
    identifier TEXT NULL,
    name TEXT NULL,
    PRIMARY KEY (change_id, ci_id, role)
);
CREATE INDEX chg_change_cis_ci ON chg_change_cis (ci_id);

CREATE TABLE chg_change_services (
    change_id TEXT NOT NULL REFERENCES chg_changes (id),
    service_code TEXT NOT NULL,
    PRIMARY KEY (change_id, service_code)
);
CREATE INDEX chg_change_services_code ON chg_change_services (service_code);

-- One row per approver per round, pending until the approver decides.
CREATE TABLE chg_approvals (
    change_id TEXT NOT NULL REFERENCES chg_changes (id),
    round INTEGER NOT NULL,
    approver_id TEXT NOT NULL,
    approver_name TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NULL,
    via TEXT NULL,
    decided_at TEXT NULL,
    -- SHA-256 of the single-use e-mail link's token, never the token itself.
    token_hash TEXT NULL UNIQUE,
    token_expires_at TEXT NULL,
    PRIMARY KEY (change_id, round, approver_id)
);

CREATE TABLE chg_windows (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    service_code TEXT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX chg_windows_time ON chg_windows (starts_at, ends_at);

CREATE TABLE chg_idempotency (
    user_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    change_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
