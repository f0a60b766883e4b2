-- Staff accounts and sessions; the handling of a case (unit, claim, completion, rating, reopen);
-- return requests and their joint review.
CREATE TABLE staff_account (
    staff_account_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id TEXT REFERENCES unit (unit_id),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE staff_session (
    token_hash TEXT PRIMARY KEY,
    staff_account_id TEXT NOT NULL REFERENCES staff_account (staff_account_id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX staff_session_account ON staff_session (staff_account_id);

ALTER TABLE "case" ADD COLUMN unit_id TEXT REFERENCES unit (unit_id);
ALTER TABLE "case" ADD COLUMN catalog_item_id TEXT REFERENCES catalog_item (catalog_item_id);
ALTER TABLE "case" ADD COLUMN dispatched_at TEXT;
ALTER TABLE "case" ADD COLUMN claimed_at TEXT;
ALTER TABLE "case" ADD COLUMN completed_at TEXT;
ALTER TABLE "case" ADD COLUMN reply TEXT;
ALTER TABLE "case" ADD COLUMN rated_at TEXT;
ALTER TABLE "case" ADD COLUMN rating_resolved INTEGER;
ALTER TABLE "case" ADD COLUMN rating_satisfaction TEXT;
ALTER TABLE "case" ADD COLUMN rating_comment TEXT;
ALTER TABLE "case" ADD COLUMN reopened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "case" ADD COLUMN merged_into TEXT;

CREATE INDEX case_unit_status ON "case" (unit_id, status);
CREATE INDEX case_status ON "case" (status);

ALTER TABLE case_event ADD COLUMN actor_id TEXT;
ALTER TABLE case_event ADD COLUMN unit_id TEXT;

CREATE TABLE return_request (
    return_request_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case" (case_id),
    unit_id TEXT NOT NULL REFERENCES unit (unit_id),
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decision TEXT,
    decision_reason TEXT,
    decided_by TEXT,
    decided_at TEXT
);

CREATE INDEX return_request_case ON return_request (case_id);
