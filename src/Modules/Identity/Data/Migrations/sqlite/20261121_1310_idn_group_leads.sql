ALTER TABLE idn_groups ADD COLUMN lead_id TEXT NULL REFERENCES idn_users (id);
