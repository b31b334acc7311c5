-- Each account's calendar-feed secret is a random token of its own, no
-- longer derived from the server key (so `rotate-key` no longer changes
-- every phone's subscription). `feed_hash` (SHA-256 of the token) finds the
-- account when a calendar app asks; `feed_sealed` is the token sealed like
-- the second-factor secrets (resealed by `rotate-key`), so the settings
-- page can show the address again. An account with a feed from before
-- (its hash derived from the server key) keeps that address: the server
-- seals the old token the first time it is needed, or `rotate-key` does
-- under the new key, so no subscription breaks at the upgrade.
ALTER TABLE accounts ADD COLUMN feed_sealed bytea;
