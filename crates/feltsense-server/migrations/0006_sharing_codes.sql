-- Sharing codes (issue 14): a short code each account can show and renew,
-- so a person can share with a clinician or a trusted person found by the
-- code they were given, never by searching names. The code itself is
-- derived from the server key, the account and its generation (so it can
-- be shown again without being stored); the database keeps only its
-- SHA-256, to find the account a code names. Renewing raises the
-- generation: the old code finds nobody. Wrong tries are counted in
-- `login_attempts` under `sharing-code:<account>`.
ALTER TABLE accounts ADD COLUMN sharing_code_hash bytea UNIQUE;
ALTER TABLE accounts ADD COLUMN sharing_code_generation integer NOT NULL DEFAULT 0;
