CREATE TABLE idn_organisations (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('provider', 'customer')),
    description TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
-- At most one provider: the organisation that runs the service management system.
CREATE UNIQUE INDEX ux_idn_organisations_provider ON idn_organisations (kind) WHERE kind = 'provider';

CREATE TABLE idn_groups (
    id UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES idn_organisations (id),
    name TEXT NOT NULL,
    description TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE idn_users (
    id UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES idn_organisations (id),
    email TEXT NOT NULL,
    normalized_email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NULL,
    security_stamp TEXT NOT NULL,
    lockout_end TIMESTAMPTZ NULL,
    access_failed_count INTEGER NOT NULL DEFAULT 0,
    two_factor_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    authenticator_key TEXT NULL,
    culture TEXT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_idn_users_organisation ON idn_users (organisation_id);

CREATE TABLE idn_user_roles (
    user_id UUID NOT NULL REFERENCES idn_users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE idn_group_members (
    group_id UUID NOT NULL REFERENCES idn_groups (id),
    user_id UUID NOT NULL REFERENCES idn_users (id),
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE idn_tokens (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES idn_users (id),
    kind TEXT NOT NULL CHECK (kind IN ('access', 'personal')),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NULL,
    revoked_at TIMESTAMPTZ NULL,
    last_used_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_idn_tokens_user ON idn_tokens (user_id, kind);
