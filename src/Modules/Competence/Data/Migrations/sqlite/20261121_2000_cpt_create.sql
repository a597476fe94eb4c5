-- Competence, awareness and training (ISO/IEC 20000-1:2018 7.2, 7.3; 2005 3.3; manual §2.3).
-- Calendar dates are yyyy-MM-dd text (China Standard Time), which sorts and compares the same on both databases.

CREATE TABLE cpt_competences (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    description TEXT NULL,
    category TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cpt_job_roles (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    description TEXT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cpt_role_requirements (
    job_role_id TEXT NOT NULL REFERENCES cpt_job_roles (id),
    competence_id TEXT NOT NULL REFERENCES cpt_competences (id),
    min_level INTEGER NOT NULL,
    PRIMARY KEY (job_role_id, competence_id)
);

CREATE TABLE cpt_role_people (
    job_role_id TEXT NOT NULL REFERENCES cpt_job_roles (id),
    user_id TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    PRIMARY KEY (job_role_id, user_id)
);
CREATE INDEX ix_cpt_role_people_user ON cpt_role_people (user_id);

CREATE TABLE cpt_levels (
    user_id TEXT NOT NULL,
    competence_id TEXT NOT NULL REFERENCES cpt_competences (id),
    level INTEGER NOT NULL,
    assessed_on TEXT NOT NULL,
    assessor_id TEXT NULL,
    assessor_name TEXT NOT NULL,
    evidence TEXT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (user_id, competence_id)
);

CREATE TABLE cpt_courses (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    description TEXT NULL,
    kind TEXT NOT NULL,
    provider TEXT NULL,
    hours REAL NOT NULL,
    awareness TEXT NOT NULL,
    has_exam BOOLEAN NOT NULL,
    pass_mark INTEGER NULL,
    certificate_name TEXT NULL,
    certificate_months INTEGER NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cpt_course_competences (
    course_id TEXT NOT NULL REFERENCES cpt_courses (id),
    competence_id TEXT NOT NULL REFERENCES cpt_competences (id),
    level INTEGER NOT NULL,
    PRIMARY KEY (course_id, competence_id)
);

CREATE TABLE cpt_plans (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    goals TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE cpt_sessions (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES cpt_courses (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    trainer TEXT NOT NULL,
    location TEXT NULL,
    status TEXT NOT NULL,
    in_plan BOOLEAN NOT NULL,
    notes TEXT NULL,
    held_at TEXT NULL,
    cancel_reason TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cpt_sessions_starts ON cpt_sessions (starts_on);

CREATE TABLE cpt_attendance (
    session_id TEXT NOT NULL REFERENCES cpt_sessions (id),
    user_id TEXT NOT NULL,
    status TEXT NOT NULL,
    score INTEGER NULL,
    passed BOOLEAN NULL,
    note TEXT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX ix_cpt_attendance_user ON cpt_attendance (user_id);

CREATE TABLE cpt_external_trainings (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    provider TEXT NULL,
    held_on TEXT NOT NULL,
    hours REAL NULL,
    evidence TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cpt_external_trainings_user ON cpt_external_trainings (user_id);

CREATE TABLE cpt_certificates (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    number TEXT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT NULL,
    session_id TEXT NULL REFERENCES cpt_sessions (id),
    retired_reason TEXT NULL,
    retired_at TEXT NULL,
    file_hash TEXT NULL,
    file_name TEXT NULL,
    file_type TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_cpt_certificates_user ON cpt_certificates (user_id);
CREATE INDEX ix_cpt_certificates_expires ON cpt_certificates (expires_on);

CREATE TABLE cpt_certificate_warnings (
    certificate_id TEXT NOT NULL REFERENCES cpt_certificates (id),
    threshold_days INTEGER NOT NULL,
    expires_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (certificate_id, threshold_days, expires_on)
);

CREATE TABLE cpt_reviews (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    year INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL,
    objectives TEXT NULL,
    rating TEXT NULL,
    strengths TEXT NULL,
    development_needs TEXT NULL,
    course_id TEXT NULL REFERENCES cpt_courses (id),
    status TEXT NOT NULL,
    completed_at TEXT NULL,
    acknowledged_at TEXT NULL,
    acknowledgement TEXT NULL,
    created_at TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (user_id, year)
);
