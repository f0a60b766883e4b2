-- The four supervision nodes of each dispatched case, fired once each by whichever server
-- instance gets there first; and the overdue mark the due node sets.
CREATE TABLE supervision_node (
    supervision_node_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES "case" (case_id),
    kind TEXT NOT NULL,
    effect TEXT NOT NULL,
    unit_id TEXT REFERENCES unit (unit_id),
    due_at TIMESTAMPTZ NOT NULL,
    fired_at TIMESTAMPTZ,
    outcome TEXT,
    UNIQUE (case_id, kind)
);

CREATE INDEX supervision_node_due ON supervision_node (fired_at, due_at);

ALTER TABLE "case" ADD COLUMN overdue BOOLEAN NOT NULL DEFAULT FALSE;
