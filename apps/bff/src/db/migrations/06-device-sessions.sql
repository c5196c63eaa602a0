-- Devices paired with this server (issue: LAN access). A session is a random token the device
-- keeps in an HttpOnly cookie; only its SHA-256 is stored, so the table leaks no usable secret.
CREATE TABLE device_sessions (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash    CHAR(64) NOT NULL,
  device_name   VARCHAR(200) NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at    TIMESTAMPTZ,
  CONSTRAINT device_sessions_token_hash_key UNIQUE (token_hash)
);
