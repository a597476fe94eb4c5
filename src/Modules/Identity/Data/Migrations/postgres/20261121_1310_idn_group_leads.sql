ALTER TABLE idn_groups ADD COLUMN lead_id UUID NULL REFERENCES idn_users (id);
