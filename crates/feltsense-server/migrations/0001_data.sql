-- Person data: tenants, people and their per-person data keys, every
-- table of what a person wrote, with row-level security. (pgstore)
--
-- What people wrote is in `sealed` columns only: XChaCha20-Poly1305 under
-- the person's data key, a 24-byte nonce first, the table, tenant, person
-- and record id as associated data. In clear: ids, the time a record is
-- ordered by, and a keyed hash of an import's source key.
--
-- Row-level security reads `feltsense.tenant` and `feltsense.person`, set
-- per transaction with set_config(..., true). An unset setting is NULL
-- (the `true` of current_setting) and matches no row.

CREATE FUNCTION feltsense_tenant() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('feltsense.tenant', true), '')::uuid $$;
CREATE FUNCTION feltsense_person() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('feltsense.person', true), '')::uuid $$;

-- A clinic. Rows are made by `people::create` under the tenant's setting.
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A person whose data the store holds: their data key wrapped by the
-- server key (nonce first; tenant and person as associated data), which
-- server key wrapped it, and a counter every write to their data raises.
CREATE TABLE people (
  tenant uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  wrapped_key bytea NOT NULL,
  key_version integer NOT NULL DEFAULT 1,
  version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

-- A value sealed by the server key, so a server started with another key
-- file sees at once that it does not open this database's keys.
CREATE TABLE server_key_check (
  id integer PRIMARY KEY CHECK (id = 1),
  sealed bytea NOT NULL,
  key_version integer NOT NULL
);

CREATE TABLE checkins (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  id text COLLATE "C" NOT NULL,
  at timestamptz NOT NULL,
  sealed bytea NOT NULL,
  PRIMARY KEY (tenant, person, id),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
CREATE INDEX checkins_by_time ON checkins (tenant, person, at);

CREATE TABLE journal (LIKE checkins INCLUDING ALL,
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE);
CREATE TABLE bridges (LIKE checkins INCLUDING ALL,
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE);
CREATE TABLE assessments (LIKE checkins INCLUDING ALL,
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE);

CREATE TABLE safety_plans (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  sealed bytea NOT NULL,
  PRIMARY KEY (tenant, person),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);

-- Where an imported record came from: its format and an HMAC-SHA256 of the
-- source's own key under the person's data key (a Daylio date and time is
-- still something a person did), so a re-import can find what an earlier
-- one brought. Rows of records deleted since are joined away.
CREATE TABLE import_sources (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  record_kind text NOT NULL CHECK (record_kind IN ('checkin', 'journal', 'bridge')),
  record_id text COLLATE "C" NOT NULL,
  format text NOT NULL,
  source_key bytea NOT NULL,
  PRIMARY KEY (tenant, person, record_kind, record_id),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
CREATE INDEX import_sources_by_key
  ON import_sources (tenant, person, record_kind, format, source_key);

-- Row-level security: every table, forced on its owner too.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY own_tenant ON tenants USING (id = feltsense_tenant());

ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE people FORCE ROW LEVEL SECURITY;
CREATE POLICY own_person ON people
  USING (tenant = feltsense_tenant() AND id = feltsense_person());
-- Re-wrapping every person's key (`rotate_key`) reads and updates all
-- rows of this table alone, in a transaction that says so. A wrapped key
-- is of no use without the server key.
CREATE POLICY rewrap_keys ON people FOR SELECT
  USING (current_setting('feltsense.rewrap', true) = 'every key');
CREATE POLICY rewrap_keys_update ON people FOR UPDATE
  USING (current_setting('feltsense.rewrap', true) = 'every key');

ALTER TABLE server_key_check ENABLE ROW LEVEL SECURITY;
ALTER TABLE server_key_check FORCE ROW LEVEL SECURITY;
CREATE POLICY one_check ON server_key_check USING (id = 1);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['checkins', 'journal', 'bridges', 'assessments',
                           'safety_plans', 'import_sources'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY own_rows ON %I
                      USING (tenant = feltsense_tenant() AND person = feltsense_person())
                      WITH CHECK (tenant = feltsense_tenant() AND person = feltsense_person())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO feltsense_app', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON tenants TO feltsense_app;
GRANT SELECT, INSERT, DELETE ON people TO feltsense_app;
GRANT UPDATE (wrapped_key, key_version, version) ON people TO feltsense_app;
GRANT SELECT, INSERT, UPDATE ON server_key_check TO feltsense_app;
GRANT EXECUTE ON FUNCTION feltsense_tenant(), feltsense_person() TO feltsense_app;
