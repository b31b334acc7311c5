-- A grant's grantee is an account (0003 named it by UUID only, before
-- 0002's accounts could be referenced from the sharing tables). Deleting
-- the account ends its grants with it; their audit events stay (they
-- name the grant by id, without a foreign key).
--
-- Added NOT VALID, then validated where the data allows: a database whose
-- grants name an account that is gone still gets the constraint for every
-- new and changed grant, and a warning saying how to finish, instead of a
-- migration that cannot run.
ALTER TABLE grants ADD CONSTRAINT grants_grantee_account
  FOREIGN KEY (grantee) REFERENCES accounts (id) ON DELETE CASCADE NOT VALID;

DO $$
BEGIN
  ALTER TABLE grants VALIDATE CONSTRAINT grants_grantee_account;
EXCEPTION WHEN foreign_key_violation THEN
  RAISE WARNING 'some grants name an account that no longer exists, so grants_grantee_account holds for new grants only: delete those grants, then run ALTER TABLE grants VALIDATE CONSTRAINT grants_grantee_account';
END $$;
