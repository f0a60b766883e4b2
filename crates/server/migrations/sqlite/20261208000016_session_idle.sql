-- A staff session also ends after a spell of inactivity (OWASP ASVS 4.0.3, 3.3.2), so each
-- keeps when it was last used; expired and idle sessions are purged by expiry.
ALTER TABLE staff_session ADD COLUMN last_seen_at TEXT;

CREATE INDEX staff_session_expires_at ON staff_session (expires_at);
