-- Sharing (issue 14): grants, journal entries shared, emergency access,
-- per-person audit pseudonyms and the hash-chained audit trail. (sharing)
--
-- A third row-level security setting, `feltsense.reader`, set per
-- transaction like the other two, names the account reading another
-- person's data. A reader's transaction sets `feltsense.tenant` (their
-- clinic) and `feltsense.reader`, never `feltsense.person`, so the
-- person's own policies (0001) match nothing and only the read-only
-- policies below, through an active grant of the right scope and period
-- or an open emergency access, let rows through.
--
-- Grantees are account ids (a person's account id is their `people.id`;
-- staff have ids of their own in `accounts`, 0002), referenced by UUID
-- without a foreign key so this file does not depend on 0002's shape.

CREATE FUNCTION feltsense_reader() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('feltsense.reader', true), '')::uuid $$;

CREATE TABLE grants (
  id uuid PRIMARY KEY,
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  grantee uuid NOT NULL,
  grantee_kind text NOT NULL CHECK (grantee_kind IN ('clinician', 'trusted person')),
  scopes text[] NOT NULL CHECK (scopes <@ ARRAY['checkins', 'questionnaires',
    'bridges', 'safety plan', 'journal']::text[]),
  -- Journal entries: 'off', 'chosen' (entry by entry, `journal_shares`
  -- rows of this grant) or 'marked' (entries the person marks as shared).
  journal text NOT NULL DEFAULT 'off' CHECK (journal IN ('off', 'chosen', 'marked')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz CHECK (ends_at IS NULL OR ends_at > starts_at),
  purpose text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
CREATE INDEX grants_by_grantee ON grants (tenant, grantee);
CREATE INDEX grants_by_person ON grants (tenant, person);

-- A journal entry shared: with one grant (`grant_id`) or, with no grant,
-- marked as shared for every grant whose journal is 'marked'.
CREATE TABLE journal_shares (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  entry text COLLATE "C" NOT NULL,
  grant_id uuid REFERENCES grants (id) ON DELETE CASCADE,
  shared_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant, person, entry, grant_id),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);

-- An admin's access to a person's data without a grant: a reason, a
-- limited time, and whether the person has seen that it happened.
CREATE TABLE emergency_access (
  id uuid PRIMARY KEY,
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  admin uuid NOT NULL,
  reason text NOT NULL CHECK (length(btrim(reason)) > 0),
  opened_at timestamptz NOT NULL,
  until timestamptz NOT NULL CHECK (until > opened_at AND until <= opened_at + interval '24 hours'),
  seen_at timestamptz,
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);

-- The random name a person has in the audit trail. Deleting the person
-- deletes this row, and their events stay, naming nobody.
CREATE TABLE audit_pseudonyms (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  pseudonym uuid NOT NULL UNIQUE,
  PRIMARY KEY (tenant, person),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);

-- The audit trail: append-only for the app role, in chains ('person:'
-- and a pseudonym, or 'clinic:' and a tenant), each event carrying the
-- hash of the one before it in its chain.
CREATE TABLE audit_events (
  chain text NOT NULL,
  position bigint NOT NULL,
  tenant uuid NOT NULL,
  at timestamptz NOT NULL,
  actor uuid NOT NULL,
  role text NOT NULL,
  action text NOT NULL,
  subject uuid,
  what text NOT NULL,
  grant_id uuid,
  emergency text,
  address text NOT NULL,
  request text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'refused')),
  previous bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (chain, position)
);
CREATE INDEX audit_by_subject ON audit_events (subject, at);
CREATE INDEX audit_by_time ON audit_events (tenant, at);

-- The last event of each chain, locked FOR UPDATE by each append so two
-- instances appending to one chain take turns and never fork it.
CREATE TABLE audit_heads (
  chain text PRIMARY KEY,
  tenant uuid NOT NULL,
  position bigint NOT NULL,
  hash bytea NOT NULL
);

-- May the reader of this transaction read `scope` of `person` ('any':
-- any scope, for their wrapped key)?
CREATE FUNCTION feltsense_may_read(p_tenant uuid, p_person uuid, p_scope text)
  RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT feltsense_reader() IS NOT NULL AND p_tenant = feltsense_tenant() AND (
    EXISTS (SELECT 1 FROM grants g
      WHERE g.tenant = p_tenant AND g.person = p_person
        AND g.grantee = feltsense_reader() AND g.revoked_at IS NULL
        AND (p_scope = 'any' OR p_scope = ANY (g.scopes))
        AND g.starts_at <= now() AND (g.ends_at IS NULL OR now() < g.ends_at))
    OR EXISTS (SELECT 1 FROM emergency_access e
      WHERE e.tenant = p_tenant AND e.person = p_person
        AND e.admin = feltsense_reader() AND e.opened_at <= now() AND now() < e.until))
$$;

-- May the reader of this transaction read journal entry `p_entry`?
CREATE FUNCTION feltsense_may_read_entry(p_tenant uuid, p_person uuid, p_entry text)
  RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT feltsense_reader() IS NOT NULL AND p_tenant = feltsense_tenant() AND (
    EXISTS (SELECT 1 FROM grants g JOIN journal_shares s
        ON s.tenant = g.tenant AND s.person = g.person AND s.entry = p_entry
       AND ((g.journal = 'chosen' AND s.grant_id = g.id)
         OR (g.journal = 'marked' AND s.grant_id IS NULL))
      WHERE g.tenant = p_tenant AND g.person = p_person
        AND g.grantee = feltsense_reader() AND g.revoked_at IS NULL
        AND 'journal' = ANY (g.scopes)
        AND g.starts_at <= now() AND (g.ends_at IS NULL OR now() < g.ends_at))
    OR EXISTS (SELECT 1 FROM emergency_access e
      WHERE e.tenant = p_tenant AND e.person = p_person
        AND e.admin = feltsense_reader() AND e.opened_at <= now() AND now() < e.until))
$$;

ALTER TABLE grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE grants FORCE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON grants
  USING (tenant = feltsense_tenant() AND person = feltsense_person())
  WITH CHECK (tenant = feltsense_tenant() AND person = feltsense_person());
CREATE POLICY granted_to_reader ON grants FOR SELECT
  USING (tenant = feltsense_tenant() AND grantee = feltsense_reader());

ALTER TABLE journal_shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE journal_shares FORCE ROW LEVEL SECURITY;
CREATE POLICY own_shares ON journal_shares
  USING (tenant = feltsense_tenant() AND person = feltsense_person())
  WITH CHECK (tenant = feltsense_tenant() AND person = feltsense_person());
CREATE POLICY shares_to_reader ON journal_shares FOR SELECT
  USING (tenant = feltsense_tenant() AND feltsense_reader() IS NOT NULL);

ALTER TABLE emergency_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE emergency_access FORCE ROW LEVEL SECURITY;
CREATE POLICY own_emergencies ON emergency_access
  USING (tenant = feltsense_tenant() AND person = feltsense_person());
CREATE POLICY admin_emergencies ON emergency_access
  USING (tenant = feltsense_tenant() AND admin = feltsense_reader())
  WITH CHECK (tenant = feltsense_tenant() AND admin = feltsense_reader());

ALTER TABLE audit_pseudonyms ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_pseudonyms FORCE ROW LEVEL SECURITY;
CREATE POLICY in_tenant ON audit_pseudonyms
  USING (tenant = feltsense_tenant()) WITH CHECK (tenant = feltsense_tenant());

-- The audit tables: a clinic's own, or every chain for `audit verify`
-- and the FHIR export (a transaction that says so).
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY in_tenant ON audit_events
  USING (tenant = feltsense_tenant()) WITH CHECK (tenant = feltsense_tenant());
CREATE POLICY every_chain ON audit_events FOR SELECT
  USING (current_setting('feltsense.audit', true) = 'every chain');
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY in_tenant ON audit_heads
  USING (tenant = feltsense_tenant()) WITH CHECK (tenant = feltsense_tenant());
CREATE POLICY every_chain ON audit_heads FOR SELECT
  USING (current_setting('feltsense.audit', true) = 'every chain');
CREATE POLICY every_grant ON grants FOR SELECT
  USING (current_setting('feltsense.audit', true) = 'every chain');
CREATE POLICY every_pseudonym ON audit_pseudonyms FOR SELECT
  USING (current_setting('feltsense.audit', true) = 'every chain');

-- Reads under a grant: SELECT only, never a write.
CREATE POLICY read_under_grant ON people FOR SELECT
  USING (feltsense_may_read(tenant, id, 'any'));
CREATE POLICY read_under_grant ON checkins FOR SELECT
  USING (feltsense_may_read(tenant, person, 'checkins'));
CREATE POLICY read_under_grant ON assessments FOR SELECT
  USING (feltsense_may_read(tenant, person, 'questionnaires'));
CREATE POLICY read_under_grant ON bridges FOR SELECT
  USING (feltsense_may_read(tenant, person, 'bridges'));
CREATE POLICY read_under_grant ON safety_plans FOR SELECT
  USING (feltsense_may_read(tenant, person, 'safety plan'));
CREATE POLICY read_under_grant ON journal FOR SELECT
  USING (feltsense_may_read_entry(tenant, person, id));

GRANT SELECT, INSERT, UPDATE ON grants TO feltsense_app;
GRANT SELECT, INSERT, DELETE ON journal_shares TO feltsense_app;
GRANT SELECT, INSERT ON emergency_access TO feltsense_app;
GRANT UPDATE (seen_at) ON emergency_access TO feltsense_app;
GRANT SELECT, INSERT ON audit_pseudonyms TO feltsense_app;
GRANT SELECT, INSERT ON audit_events TO feltsense_app;
GRANT SELECT, INSERT, UPDATE ON audit_heads TO feltsense_app;
GRANT EXECUTE ON FUNCTION feltsense_reader(), feltsense_may_read(uuid, uuid, text),
  feltsense_may_read_entry(uuid, uuid, text) TO feltsense_app;

-- The caseload: per person, per scope, a summary sealed with the
-- person's key ('checkins': last check-in and the numbness profile now
-- and four weeks before; 'questionnaires': latest scores, their trend,
-- and the last positive PHQ-9 item 9), kept current by every write.
CREATE TABLE summaries (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('checkins', 'questionnaires')),
  sealed bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, person, scope),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
ALTER TABLE summaries ENABLE ROW LEVEL SECURITY;
ALTER TABLE summaries FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON summaries
  USING (tenant = feltsense_tenant() AND person = feltsense_person())
  WITH CHECK (tenant = feltsense_tenant() AND person = feltsense_person());
CREATE POLICY read_under_grant ON summaries FOR SELECT
  USING (feltsense_may_read(tenant, person, scope));
GRANT SELECT, INSERT, UPDATE, DELETE ON summaries TO feltsense_app;
