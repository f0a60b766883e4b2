-- What the dispatch engine proposed when a dispatcher dispatched (beside what they chose), and
-- a city's past work orders imported to start the engine warm.
ALTER TABLE "case" ADD COLUMN suggested_unit_id TEXT;
ALTER TABLE "case" ADD COLUMN suggested_item_id TEXT;
ALTER TABLE "case" ADD COLUMN suggestion_confidence REAL;

CREATE TABLE dispatch_history (
    dispatch_history_id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES unit (unit_id),
    channel TEXT,
    kind TEXT,
    imported_at TEXT NOT NULL
);
