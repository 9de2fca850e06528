-- Staff tokens expire (security.staffTokenLifetime) and can be rotated; the bootstrap admin token
-- can be disabled through the API (docs/security.md).

-- When the account's current token was issued and when it stops working. Tokens issued before
-- this migration get the default lifetime of 90 days from now, so nobody is locked out by it.
ALTER TABLE staff ADD COLUMN token_issued_at timestamptz;
ALTER TABLE staff ADD COLUMN token_expires_at timestamptz;
UPDATE staff SET token_issued_at = created_at, token_expires_at = now() + interval '90 days';
ALTER TABLE staff ALTER COLUMN token_issued_at SET NOT NULL;
ALTER TABLE staff ALTER COLUMN token_expires_at SET NOT NULL;

-- At most one row: present while the bootstrap admin token is disabled. Kept in the database so
-- that it stays disabled after a restart; security.reenableBootstrapAdmin removes it at start.
CREATE TABLE bootstrap_admin_disabled (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    disabled_at timestamptz NOT NULL,
    disabled_by text        NOT NULL
);
