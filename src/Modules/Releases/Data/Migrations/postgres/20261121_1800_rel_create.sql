-- Release and deployment management (ISO/IEC 20000-1:2018 8.5.3; 2005 10.1; manual §9.1): a release policy per
-- service, releases with their plan, the changes and CI versions they carry, and their test records.
-- Changes and CIs belong to other modules: they are referenced by id and number, never by foreign key.

CREATE TABLE rel_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO rel_counters (name, value) VALUES ('release', 0);

CREATE TABLE rel_policies (
    id UUID PRIMARY KEY,
    service_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    types TEXT NOT NULL,
    identification_scheme TEXT NOT NULL,
    authorising_role TEXT NOT NULL,
    roles_description TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE rel_releases (
    id UUID PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    policy_id UUID NOT NULL REFERENCES rel_policies (id),
    service_code TEXT NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL,
    planned_start TIMESTAMPTZ NULL,
    planned_end TIMESTAMPTZ NULL,
    deliverables TEXT NOT NULL,
    site_activities TEXT NOT NULL,
    back_out_plan TEXT NOT NULL,
    acceptance_criteria TEXT NOT NULL,
    communication TEXT NOT NULL,
    risks TEXT NOT NULL,
    problems_closed TEXT NOT NULL,
    failure_reason TEXT NULL,
    back_out_result TEXT NULL,
    latent_cause TEXT NULL,
    reattempt_change TEXT NULL,
    accepted_at TIMESTAMPTZ NULL,
    accepted_by UUID NULL,
    deployed_at TIMESTAMPTZ NULL,
    completed_at TIMESTAMPTZ NULL,
    closed_at TIMESTAMPTZ NULL,
    baseline_id UUID NULL,
    baseline_name TEXT NULL,
    notes TEXT NOT NULL,
    notes_published_at TIMESTAMPTZ NULL,
    notes_published_by UUID NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_rel_releases_state ON rel_releases (state);
CREATE INDEX ix_rel_releases_service ON rel_releases (service_code, created_at);

-- The authorised changes a release groups; authorised_at_deploy keeps what change management said when it went out.
CREATE TABLE rel_release_changes (
    release_id UUID NOT NULL REFERENCES rel_releases (id),
    change_id UUID NOT NULL,
    change_number TEXT NOT NULL,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    authorised_at_deploy BOOLEAN NULL,
    PRIMARY KEY (release_id, change_id)
);
CREATE INDEX ix_rel_release_changes_change ON rel_release_changes (change_id);

-- The CIs a release delivers and the version each one is released at; previous_version is filled in on success.
CREATE TABLE rel_release_items (
    release_id UUID NOT NULL REFERENCES rel_releases (id),
    ci_id UUID NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    version_label TEXT NOT NULL,
    previous_version TEXT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (release_id, ci_id)
);

CREATE TABLE rel_release_tests (
    id UUID PRIMARY KEY,
    release_id UUID NOT NULL REFERENCES rel_releases (id),
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    environment TEXT NOT NULL,
    result TEXT NOT NULL,
    summary TEXT NOT NULL,
    tested_at TIMESTAMPTZ NOT NULL,
    tested_by UUID NULL,
    tested_by_name TEXT NOT NULL,
    UNIQUE (release_id, sequence)
);

-- A retried create with the same Idempotency-Key answers with the release the first one planned.
CREATE TABLE rel_idempotency (
    user_id UUID NOT NULL,
    idempotency_key TEXT NOT NULL,
    release_id UUID NOT NULL REFERENCES rel_releases (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
