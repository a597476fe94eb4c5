-- Administrators' overrides of the templates modules ship; a missing row means the module's default.
CREATE TABLE ntf_templates (
    template_key TEXT NOT NULL,
    culture TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID NULL,
    PRIMARY KEY (template_key, culture)
);

-- In-app notifications, one row per recipient.
CREATE TABLE ntf_notifications (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL,
    template_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NULL,
    record_type TEXT NULL,
    record_id TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_ntf_notifications_user ON ntf_notifications (user_id, created_at);

-- Mail waiting to be handed to the SMTP server; rows are kept after sending as the record of what was sent.
CREATE TABLE ntf_outbox (
    id UUID PRIMARY KEY,
    notification_id UUID NULL,
    recipient_address TEXT NOT NULL,
    culture TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ NULL,
    claim_token UUID NULL,
    last_error TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ NULL
);
CREATE INDEX ix_ntf_outbox_due ON ntf_outbox (status, next_attempt_at);
CREATE INDEX ix_ntf_outbox_created ON ntf_outbox (created_at);
