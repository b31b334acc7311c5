-- Accounts, sessions, invites, second factors, rate limits and the
-- security-event audit table. (accounts)
--
-- These tables are read before anyone's tenant is known (signing in finds
-- an account by its email, a cookie finds its session), so they carry no
-- row-level security; only the server's accounts module touches them, and
-- every row still carries its `tenant`. Secrets are stored hashed (SHA-256
-- of 32 random bytes for tokens, Argon2id for passwords and recovery
-- codes) or sealed (the TOTP secret, under the server key).

CREATE TABLE accounts (
    tenant uuid NOT NULL,
    id uuid PRIMARY KEY,
    email text NOT NULL,
    display_name text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('person', 'clinician', 'admin', 'auditor')),
    -- NULL until the account's first password is chosen.
    password_hash text,
    -- XChaCha20-Poly1305 under the server key: nonce then ciphertext.
    totp_sealed bytea,
    -- SHA-256 of the secret in the account's calendar-feed address.
    feed_hash bytea UNIQUE,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email));
CREATE INDEX accounts_tenant ON accounts (tenant);

CREATE TABLE recovery_codes (
    account uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tenant uuid NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (account, code_hash)
);

-- Server-side sessions: the cookie holds a random token, the row its hash.
-- `stage` is 'second_factor' between a right password and the code, and
-- 'full' after; a full session is a new row (the token rotates at sign-in).
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    tenant uuid NOT NULL,
    account uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage text NOT NULL CHECK (stage IN ('second_factor', 'full')),
    csrf text NOT NULL,
    user_agent text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions (account);

-- Single-use, expiring links: the first admin's setup, invites, resets.
CREATE TABLE invites (
    token_hash bytea PRIMARY KEY,
    tenant uuid NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('setup', 'invite', 'reset_password', 'reset_second_factor')),
    role text NOT NULL CHECK (role IN ('person', 'clinician', 'admin', 'auditor')),
    email text NOT NULL,
    -- The account a reset is for, or the one a setup or invite created.
    account uuid,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

-- Sign-in attempts per account and per address, in the database so that
-- limits hold across every instance of the server.
CREATE TABLE login_attempts (
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    succeeded boolean NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);

-- Append-only: the app role may add and read, never change or remove.
CREATE TABLE security_events (
    id bigserial PRIMARY KEY,
    tenant uuid,
    account uuid,
    kind text NOT NULL,
    address text NOT NULL DEFAULT '',
    detail text NOT NULL DEFAULT '',
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX security_events_account ON security_events (account, at);

GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, recovery_codes, sessions, invites, login_attempts TO feltsense_app;
GRANT SELECT, INSERT ON security_events TO feltsense_app;
GRANT USAGE ON SEQUENCE security_events_id_seq TO feltsense_app;

-- The server, as the app role, checks that the schema is current.
GRANT SELECT ON schema_migrations TO feltsense_app;
