-- Configuration management (ISO/IEC 20000-1:2018 8.2.6; manual §8.1): the CI class model, configuration items with
-- their versions and status history, typed relationships with a change log, and baselines.

CREATE TABLE cmdb_classes (
    id UUID PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    parent_id UUID NULL REFERENCES cmdb_classes (id),
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    description TEXT NOT NULL,
    identifier_prefix TEXT NOT NULL,
    name_pattern TEXT NULL,
    name_hint_en TEXT NOT NULL,
    name_hint_zh TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cmdb_class_attributes (
    class_id UUID NOT NULL REFERENCES cmdb_classes (id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    type TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    options TEXT NOT NULL,
    reference_class_id UUID NULL REFERENCES cmdb_classes (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (class_id, key)
);

CREATE TABLE cmdb_relationship_types (
    key TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    inverse_en TEXT NOT NULL,
    inverse_zh TEXT NOT NULL,
    impact TEXT NOT NULL,
    acyclic BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);

-- Which class may relate to which; a rule on a class covers its subclasses, a NULL class means any class.
CREATE TABLE cmdb_relationship_rules (
    id UUID PRIMARY KEY,
    type_key TEXT NOT NULL REFERENCES cmdb_relationship_types (key),
    source_class_id UUID NULL REFERENCES cmdb_classes (id),
    target_class_id UUID NULL REFERENCES cmdb_classes (id)
);
CREATE INDEX ix_cmdb_relationship_rules_type ON cmdb_relationship_rules (type_key);

CREATE TABLE cmdb_counters (
    prefix TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);

CREATE TABLE cmdb_items (
    id UUID PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    class_id UUID NOT NULL REFERENCES cmdb_classes (id),
    status TEXT NOT NULL,
    owner_id UUID NULL,
    support_group_id UUID NULL,
    location TEXT NOT NULL,
    version_label TEXT NOT NULL,
    criticality TEXT NOT NULL,
    description TEXT NOT NULL,
    service_code TEXT NULL,
    attributes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cmdb_items_class ON cmdb_items (class_id, status);
CREATE INDEX ix_cmdb_items_name ON cmdb_items (name);
CREATE INDEX ix_cmdb_items_service ON cmdb_items (service_code);

CREATE TABLE cmdb_item_customers (
    ci_id UUID NOT NULL REFERENCES cmdb_items (id),
    organisation_id UUID NOT NULL,
    PRIMARY KEY (ci_id, organisation_id)
);
CREATE INDEX ix_cmdb_item_customers_org ON cmdb_item_customers (organisation_id, ci_id);

-- Every state a CI has had, whole: any past state can be shown, and status rows are the status history.
CREATE TABLE cmdb_item_versions (
    ci_id UUID NOT NULL REFERENCES cmdb_items (id),
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    actor_id UUID NULL,
    actor_name TEXT NOT NULL,
    change_ref TEXT NULL,
    reason TEXT NULL,
    PRIMARY KEY (ci_id, version)
);

CREATE TABLE cmdb_relationships (
    id UUID PRIMARY KEY,
    source_id UUID NOT NULL REFERENCES cmdb_items (id),
    target_id UUID NOT NULL REFERENCES cmdb_items (id),
    type_key TEXT NOT NULL REFERENCES cmdb_relationship_types (key),
    created_at TIMESTAMPTZ NOT NULL,
    actor_id UUID NULL,
    change_ref TEXT NULL,
    UNIQUE (source_id, target_id, type_key)
);
CREATE INDEX ix_cmdb_relationships_target ON cmdb_relationships (target_id, type_key);

-- Relationships added and removed, in commit order: the history of the graph and the feed that keeps every
-- instance's in-memory impact graph current.
CREATE TABLE cmdb_relationship_log (
    seq BIGINT PRIMARY KEY,
    relationship_id UUID NOT NULL,
    op TEXT NOT NULL,
    source_id UUID NOT NULL,
    target_id UUID NOT NULL,
    type_key TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID NULL,
    change_ref TEXT NULL
);
CREATE INDEX ix_cmdb_relationship_log_source ON cmdb_relationship_log (source_id);
CREATE INDEX ix_cmdb_relationship_log_target ON cmdb_relationship_log (target_id);

CREATE TABLE cmdb_baselines (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    root_ids TEXT NOT NULL,
    include_dependencies BOOLEAN NOT NULL,
    ci_count INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID NULL
);

CREATE TABLE cmdb_baseline_items (
    baseline_id UUID NOT NULL REFERENCES cmdb_baselines (id),
    ci_id UUID NOT NULL REFERENCES cmdb_items (id),
    ci_version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (baseline_id, ci_id)
);

CREATE TABLE cmdb_baseline_relationships (
    baseline_id UUID NOT NULL REFERENCES cmdb_baselines (id),
    source_id UUID NOT NULL,
    target_id UUID NOT NULL,
    type_key TEXT NOT NULL,
    PRIMARY KEY (baseline_id, source_id, target_id, type_key)
);
