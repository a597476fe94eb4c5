-- Administrators' overrides of the templates modules ship; a missing row means the module's default.
CREATE TABLE ntf_templates (
    template_key TEXT NOT NULL,
    culture TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NULL,
    PRIMARY KEY (template_key, culture)
);

-- In-app notifications, one row per recipient.
CREATE TABLE ntf_notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    template_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NULL,
    record_type TEXT NULL,
    record_id TEXT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT NULL
);
CREATE INDEX ix_ntf_notifications_user ON ntf_notifications (user_id, created_at);

-- Mail waiting to be handed to the SMTP server; rows are kept after sending as the record of what was sent.
CREATE TABLE ntf_outbox (
    id TEXT PRIMARY KEY,
    notification_id TEXT NULL,
    recipient_address TEXT NOT NULL,
    culture TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT NULL,
    claim_token TEXT NULL,
    last_error TEXT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL
);
CREATE INDEX ix_ntf_outbox_due ON ntf_outbox (status, next_attempt_at);
CREATE INDEX ix_ntf_outbox_created ON ntf_outbox (created_at);
