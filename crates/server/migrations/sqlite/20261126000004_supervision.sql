-- The four supervision nodes of each dispatched case, fired once each by whichever server
-- instance gets there first; and the overdue mark the due node sets.
CREATE TABLE supervision_node (
    supervision_node_id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case" (case_id),
    kind TEXT NOT NULL,
    effect TEXT NOT NULL,
    unit_id TEXT REFERENCES unit (unit_id),
    due_at TEXT NOT NULL,
    fired_at TEXT,
    outcome TEXT,
    UNIQUE (case_id, kind)
);

CREATE INDEX supervision_node_due ON supervision_node (fired_at, due_at);

ALTER TABLE "case" ADD COLUMN overdue INTEGER NOT NULL DEFAULT 0;
