-- Policy, objectives and risks (ISO/IEC 20000-1:2018 5.2, 6.1, 6.2; 2005 3.1, 4.1).

INSERT INTO cmp_counters (name, value) VALUES ('objective', 0);
INSERT INTO cmp_counters (name, value) VALUES ('risk', 0);

-- The service management policy, one row per version: draft -> approved -> superseded by the next approved version.
CREATE TABLE cmp_policy_versions (
    id UUID PRIMARY KEY,
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
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    approved_at TIMESTAMPTZ NULL,
    approved_by UUID NULL,
    approved_by_name TEXT NULL,
    approval_reason TEXT NULL,
    superseded_at TIMESTAMPTZ NULL,
    version INTEGER NOT NULL
);
-- An approved or superseded version is a record: the database refuses to change what it says or to delete any version.
CREATE FUNCTION cmp_policy_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'cmp_policy_versions: versions are kept, never deleted';
    END IF;
    IF OLD.status <> 'draft' AND (NEW.statement_en, NEW.statement_zh, NEW.commit_requirements_en, NEW.commit_requirements_zh, NEW.commit_improvement_en,
        NEW.commit_improvement_zh, NEW.commit_objectives_en, NEW.commit_objectives_zh, NEW.document_code, NEW.change_note, NEW.approved_at, NEW.approved_by,
        NEW.approved_by_name, NEW.approval_reason)
        IS DISTINCT FROM (OLD.statement_en, OLD.statement_zh, OLD.commit_requirements_en, OLD.commit_requirements_zh, OLD.commit_improvement_en,
        OLD.commit_improvement_zh, OLD.commit_objectives_en, OLD.commit_objectives_zh, OLD.document_code, OLD.change_note, OLD.approved_at, OLD.approved_by,
        OLD.approved_by_name, OLD.approval_reason) THEN
        RAISE EXCEPTION 'cmp_policy_versions: approved versions are immutable';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER cmp_policy_versions_immutable BEFORE UPDATE OR DELETE ON cmp_policy_versions FOR EACH ROW EXECUTE FUNCTION cmp_policy_versions_guard();

-- Top management's review of the approved policy without a new version ("still suitable"), kept for 5.2 evidence.
CREATE TABLE cmp_policy_reviews (
    id UUID PRIMARY KEY,
    version_id UUID NOT NULL REFERENCES cmp_policy_versions (id),
    reviewed_at TIMESTAMPTZ NOT NULL,
    reviewed_by UUID NULL,
    reviewed_by_name TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX ix_cmp_policy_reviews_version ON cmp_policy_reviews (version_id, reviewed_at);

-- Service management objectives with their measure, target, period and the plan to achieve them (6.2).
CREATE TABLE cmp_objectives (
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_id UUID NULL,
    process TEXT NOT NULL,
    measure_key TEXT NULL,
    manual_measure TEXT NULL,
    manual_unit TEXT NULL,
    target NUMERIC NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('at-least', 'at-most')),
    period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    plan_actions TEXT NOT NULL,
    plan_resources TEXT NOT NULL,
    plan_responsible_id UUID NULL,
    plan_due_on TEXT NULL,
    plan_evaluation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    retired_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

-- Readings of a manual measure, entered by the objective's owner.
CREATE TABLE cmp_objective_readings (
    id UUID PRIMARY KEY,
    objective_id UUID NOT NULL REFERENCES cmp_objectives (id),
    value NUMERIC NOT NULL,
    taken_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID NULL,
    recorded_by_name TEXT NOT NULL
);
CREATE INDEX ix_cmp_objective_readings_objective ON cmp_objective_readings (objective_id, taken_on);

-- Each objective's value per period, kept so the trend survives later changes to the data; final once taken after the period ended.
CREATE TABLE cmp_objective_snapshots (
    objective_id UUID NOT NULL REFERENCES cmp_objectives (id),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    label TEXT NOT NULL,
    value NUMERIC NULL,
    target NUMERIC NOT NULL,
    direction TEXT NOT NULL,
    result TEXT NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL,
    final TEXT NOT NULL,
    PRIMARY KEY (objective_id, period, period_start)
);

-- The register of risks and opportunities (6.1) with their treatment.
CREATE TABLE cmp_risks (
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('risk', 'opportunity')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    cause TEXT NOT NULL,
    consequence TEXT NOT NULL,
    services TEXT NOT NULL,
    owner_id UUID NULL,
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
    accepted_at TIMESTAMPTZ NULL,
    review_on TEXT NULL,
    last_reviewed_at TIMESTAMPTZ NULL,
    treated_at TIMESTAMPTZ NULL,
    closed_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cmp_risks_status ON cmp_risks (status, level);

-- The actions of a risk's treatment plan.
CREATE TABLE cmp_risk_actions (
    id UUID PRIMARY KEY,
    risk_id UUID NOT NULL REFERENCES cmp_risks (id),
    description TEXT NOT NULL,
    owner_id UUID NULL,
    due_on TEXT NULL,
    done_at TIMESTAMPTZ NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_cmp_risk_actions_risk ON cmp_risk_actions (risk_id);
