-- Idempotency keys live apart from cases (kept 24 hours with the first answer), and each case gets
-- its own access token, of which only the hash is stored.
CREATE TABLE idempotency_key (
    key_hash TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT
);

CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);

ALTER TABLE "case" ADD COLUMN access_token_hash TEXT;
