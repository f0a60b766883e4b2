-- The monthly evaluation reads the cases that something happened to in a month: dispatched,
-- finished, rated or due in it. One index per time lets the database read those four ranges
-- instead of every case.
CREATE INDEX case_dispatched_at ON "case" (dispatched_at);
CREATE INDEX case_completed_at ON "case" (completed_at);
CREATE INDEX case_rated_at ON "case" (rated_at);
CREATE INDEX case_deadline_at ON "case" (deadline_at);
