-- The caller's satisfaction, given when they confirm the resolution (manual §6.2: customer satisfaction collected,
-- analysed and trended; ISO/IEC 20000-1:2018 8.3.2, 9.3).
ALTER TABLE inc_incidents ADD COLUMN satisfaction INTEGER NULL;
ALTER TABLE inc_incidents ADD COLUMN satisfaction_comment TEXT NULL;
ALTER TABLE inc_incidents ADD COLUMN satisfaction_at TEXT NULL;
CREATE INDEX ix_inc_incidents_satisfaction_at ON inc_incidents (satisfaction_at);
