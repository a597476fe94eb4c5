-- Policy, objectives and risks (ISO/IEC 20000-1:2018 5.2, 6.1, 6.2; 2005 3.1, 4.1).

INSERT INTO cmp_counters (name, value) VALUES ('objective', 0);
INSERT INTO cmp_counters (name, value) VALUES ('risk', 0);

-- The service management policy, one row per version: draft -> approved -> superseded by the next approved version.
CREATE TABLE cmp_policy_versions (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
    statement_en TEXT NOT NULL,
    statement_zh TEXT NOT NULL,
    commit_requirements_en TEXT NOT NULL,
    commit_requirements_zh TEXT NOT NULL,
    commit_improvement_en TEXT NOT NULL,
    commit_improvement_zh TEXT NOT NULL,
    commit_objectives_en TEXT NOT NULL,
    commit_objectives_zh TEXT NOT NULL,
    document_code TEXT NULL,
    change_note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    approved_at TEXT NULL,
    approved_by TEXT NULL,
    approved_by_name TEXT NULL,
    approval_reason TEXT NULL,
    superseded_at TEXT NULL,
    version INTEGER NOT NULL
);
-- An approved or superseded version is a record: the database refuses to change what it says or to delete any version.
CREATE TRIGGER cmp_policy_versions_immutable BEFORE UPDATE OF statement_en, statement_zh, commit_requirements_en, commit_requirements_zh,
    commit_improvement_en, commit_improvement_zh, commit_objectives_en, commit_objectives_zh, document_code, change_note, approved_at, approved_by,
    approved_by_name, approval_reason ON cmp_policy_versions
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'cmp_policy_versions: approved versions are immutable');
END;
CREATE TRIGGER cmp_policy_versions_kept BEFORE DELETE ON cmp_policy_versions
BEGIN
    SELECT RAISE(ABORT, 'cmp_policy_versions: versions are kept, never deleted');
END;

-- Top management's review of the approved policy without a new version ("still suitable"), kept for 5.2 evidence.
CREATE TABLE cmp_policy_reviews (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES cmp_policy_versions (id),
    reviewed_at TEXT NOT NULL,
    reviewed_by TEXT NULL,
    reviewed_by_name TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX ix_cmp_policy_reviews_version ON cmp_policy_reviews (version_id, reviewed_at);

-- Service management objectives with their measure, target, period and the plan to achieve them (6.2).
CREATE TABLE cmp_objectives (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_id TEXT NULL,
    process TEXT NOT NULL,
    measure_key TEXT NULL,
    manual_measure TEXT NULL,
    manual_unit TEXT NULL,
    target NUMERIC NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('at-least', 'at-most')),
    period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    plan_actions TEXT NOT NULL,
    plan_resources TEXT NOT NULL,
    plan_responsible_id TEXT NULL,
    plan_due_on TEXT NULL,
    plan_evaluation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    retired_at TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

-- Readings of a manual measure, entered by the objective's owner.
CREATE TABLE cmp_objective_readings (
    id TEXT PRIMARY KEY,
    objective_id TEXT NOT NULL REFERENCES cmp_objectives (id),
    value NUMERIC NOT NULL,
    taken_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NULL,
    recorded_by_name TEXT NOT NULL
);
CREATE INDEX ix_cmp_objective_readings_objective ON cmp_objective_readings (objective_id, taken_on);

-- Each objective's value per period, kept so the trend survives later changes to the data; final once taken after the period ended.
CREATE TABLE cmp_objective_snapshots (
    objective_id TEXT NOT NULL REFERENCES cmp_objectives (id),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    label TEXT NOT NULL,
    value NUMERIC NULL,
    target NUMERIC NOT NULL,
    direction TEXT NOT NULL,
    result TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    final TEXT NOT NULL,
    PRIMARY KEY (objective_id, period, period_start)
);

-- The register of risks and opportunities (6.1) with their treatment.
CREATE TABLE cmp_risks (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('risk', 'opportunity')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    cause TEXT NOT NULL,
    consequence TEXT NOT NULL,
    services TEXT NOT NULL,
    owner_id TEXT NULL,
    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    score INTEGER NOT NULL,
    level TEXT NOT NULL,
    treatment TEXT NULL,
    treatment_plan TEXT NOT NULL,
    residual_likelihood INTEGER NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact INTEGER NULL CHECK (residual_impact BETWEEN 1 AND 5),
    residual_level TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('identified', 'treating', 'monitored', 'closed')),
    acceptance_reason TEXT NULL,
    accepted_by_name TEXT NULL,
    accepted_at TEXT NULL,
    review_on TEXT NULL,
    last_reviewed_at TEXT NULL,
    treated_at TEXT NULL,
    closed_at TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cmp_risks_status ON cmp_risks (status, level);

-- The actions of a risk's treatment plan.
CREATE TABLE cmp_risk_actions (
    id TEXT PRIMARY KEY,
    risk_id TEXT NOT NULL REFERENCES cmp_risks (id),
    description TEXT NOT NULL,
    owner_id TEXT NULL,
    due_on TEXT NULL,
    done_at TEXT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_cmp_risk_actions_risk ON cmp_risk_actions (risk_id);
