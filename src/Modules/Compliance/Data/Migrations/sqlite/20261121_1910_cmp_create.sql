-- The verdict of every clause once a day, for the trend of the conformity dashboard.
CREATE TABLE cmp_snapshots (
    day TEXT NOT NULL,
    edition TEXT NOT NULL,
    clause TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (day, edition, clause)
);

CREATE TABLE cmp_counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO cmp_counters (name, value) VALUES ('finding', 0);

-- Findings of the GAP analysis (差距分析报告): where the organisation falls short of a clause, and why.
CREATE TABLE cmp_findings (
    id TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    edition TEXT NOT NULL,
    clause TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    closed_at TEXT NULL,
    close_reason TEXT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cmp_findings_clause ON cmp_findings (edition, clause, status);

-- Actions closing the gaps: who, by when, done or not.
CREATE TABLE cmp_actions (
    id TEXT PRIMARY KEY,
    finding_id TEXT NULL REFERENCES cmp_findings (id),
    title TEXT NOT NULL,
    owner_id TEXT NULL,
    due_on TEXT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    done_at TEXT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cmp_actions_finding ON cmp_actions (finding_id);

-- The implementation roadmap (ISO20000实施步骤): one row per phase, seeded once.
CREATE TABLE cmp_roadmap (
    id TEXT PRIMARY KEY,
    phase TEXT NOT NULL UNIQUE,
    sort INTEGER NOT NULL,
    owner_id TEXT NULL,
    starts_on TEXT NULL,
    due_on TEXT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
