-- Counts that every server instance must see alike: wrong lookup codes per case, requests per
-- client address (on SQLite these stay in memory: one instance), and failed sign-ins per account.
-- Times are Unix milliseconds, compared as numbers on both back ends.
CREATE TABLE rate_window (
    -- `lookup-failures/<canonical case number>`, `Login/<address>`, …: bounded by the server.
    rate_window_key TEXT PRIMARY KEY,
    started_at_ms INTEGER NOT NULL,
    hits INTEGER NOT NULL
);

CREATE TABLE login_throttle (
    -- The account name as typed (trimmed, at most 64 characters), known or not, so the
    -- throttle does not tell which names exist.
    login_throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_attempt_at_ms INTEGER NOT NULL,
    blocked_until_ms INTEGER NOT NULL
);
