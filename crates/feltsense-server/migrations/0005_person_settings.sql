-- A person's own settings that say something about them (the feelings they
-- chose to rate on every check-in), sealed like everything they wrote.
CREATE TABLE person_settings (
  tenant uuid NOT NULL,
  person uuid NOT NULL,
  name text NOT NULL,
  sealed bytea NOT NULL,
  PRIMARY KEY (tenant, person, name),
  FOREIGN KEY (tenant, person) REFERENCES people (tenant, id) ON DELETE CASCADE
);
ALTER TABLE person_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON person_settings
  USING (tenant = feltsense_tenant() AND person = feltsense_person())
  WITH CHECK (tenant = feltsense_tenant() AND person = feltsense_person());
GRANT SELECT, INSERT, UPDATE, DELETE ON person_settings TO feltsense_app;
