-- Queues read "open incidents by priority, then age": one flag makes that a single ordered index range.
ALTER TABLE inc_incidents ADD COLUMN is_open INTEGER NOT NULL DEFAULT 0;
UPDATE inc_incidents SET is_open = CASE WHEN status IN ('new', 'assigned', 'in-progress', 'pending') THEN 1 ELSE 0 END;
DROP INDEX ix_inc_incidents_assignee;
DROP INDEX ix_inc_incidents_group;
CREATE INDEX ix_inc_incidents_open ON inc_incidents (is_open, priority, created_at);
CREATE INDEX ix_inc_incidents_assignee ON inc_incidents (assignee_id, is_open, priority, created_at);
CREATE INDEX ix_inc_incidents_group ON inc_incidents (assignment_group_id, is_open, priority, created_at);
CREATE INDEX ix_inc_incidents_organisation_open ON inc_incidents (organisation_id, is_open, priority, created_at);

-- Only the caller's side restarts the quiet period after a resolution (manual §7.2.4).
ALTER TABLE inc_comments ADD COLUMN is_customer INTEGER NOT NULL DEFAULT 0;
