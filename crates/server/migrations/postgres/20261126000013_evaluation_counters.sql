-- Pre-aggregated counters for the monthly evaluation (评): per unit and city-local month
-- (UTC+8, 'YYYY-MM'), the counts that crates/core/src/rates.rs defines the rates from. Triggers on
-- "case" and return_request keep them exact whatever code writes those rows (as the figures
-- counters of migration 10 are kept), so a month's table reads one row per unit instead of
-- every case that something happened to in the month (about 160 thousand with 1 M stored).
--
-- A case counts for the unit that has it now, as the evaluation always has: dispatched (and
-- responded in time) in the month of its dispatch, rated in the month of its rating, completed
-- (on time if by the deadline) in the month of completion, overdue in the month of its deadline
-- if not completed by then. Each change of those columns takes the case's old contribution away
-- and adds the new one, in one statement whose rows are taken in (unit, month) order, so two
-- transactions never wait on each other in opposite orders.
CREATE TABLE evaluation_unit_month (
    month TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    dispatched INTEGER NOT NULL DEFAULT 0,
    responded_in_time INTEGER NOT NULL DEFAULT 0,
    rated INTEGER NOT NULL DEFAULT 0,
    resolved INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER NOT NULL DEFAULT 0,
    basically_satisfied INTEGER NOT NULL DEFAULT 0,
    dissatisfied INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    completed_on_time INTEGER NOT NULL DEFAULT 0,
    overdue INTEGER NOT NULL DEFAULT 0,
    refused_returns INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit_id)
);

-- The response limit the counters were made with ("claimed within N hours of dispatch"). The
-- server sets it from its configuration at start and recounts if it changed.
CREATE TABLE evaluation_policy (
    evaluation_policy_id INTEGER PRIMARY KEY CHECK (evaluation_policy_id = 1),
    response_limit_hours INTEGER NOT NULL
);
INSERT INTO evaluation_policy (evaluation_policy_id, response_limit_hours) VALUES (1, 24);

CREATE FUNCTION evaluation_city_month(at TIMESTAMPTZ) RETURNS TEXT
LANGUAGE SQL IMMUTABLE AS $$ SELECT to_char((at AT TIME ZONE 'UTC') + INTERVAL '8 hours', 'YYYY-MM') $$;

-- One case's contribution, `sign` (1 or -1) times, as rows shaped like the counters.
CREATE FUNCTION evaluation_case_rows(c "case", sign INTEGER) RETURNS SETOF evaluation_unit_month
LANGUAGE SQL STABLE AS $$
    SELECT evaluation_city_month(c.dispatched_at),
        c.unit_id,
        sign,
        CASE WHEN c.claimed_at <= c.dispatched_at + make_interval(hours => (SELECT p.response_limit_hours FROM evaluation_policy p)) THEN sign ELSE 0 END,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0
    WHERE c.unit_id IS NOT NULL AND c.dispatched_at IS NOT NULL AND c.deadline_at IS NOT NULL
    UNION ALL
    SELECT evaluation_city_month(c.rated_at),
        c.unit_id,
        0,
        0,
        sign,
        CASE WHEN c.rating_resolved THEN sign ELSE 0 END,
        CASE WHEN c.rating_satisfaction = 'satisfied' THEN sign ELSE 0 END,
        CASE WHEN c.rating_satisfaction = 'basically_satisfied' THEN sign ELSE 0 END,
        CASE WHEN c.rating_satisfaction = 'dissatisfied' THEN sign ELSE 0 END,
        0,
        0,
        0,
        0
    WHERE c.unit_id IS NOT NULL AND c.dispatched_at IS NOT NULL AND c.deadline_at IS NOT NULL AND c.rated_at IS NOT NULL AND c.rating_resolved IS NOT NULL
      AND c.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
    UNION ALL
    SELECT evaluation_city_month(c.completed_at),
        c.unit_id,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        sign,
        CASE WHEN c.completed_at <= c.deadline_at THEN sign ELSE 0 END,
        0,
        0
    WHERE c.unit_id IS NOT NULL AND c.dispatched_at IS NOT NULL AND c.deadline_at IS NOT NULL AND c.completed_at IS NOT NULL
    UNION ALL
    SELECT evaluation_city_month(c.deadline_at),
        c.unit_id,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        sign,
        0
    WHERE c.unit_id IS NOT NULL AND c.dispatched_at IS NOT NULL AND c.deadline_at IS NOT NULL AND (c.completed_at IS NULL OR c.completed_at > c.deadline_at)
$$;

CREATE FUNCTION evaluation_refusal_rows(r return_request, sign INTEGER)
RETURNS SETOF evaluation_unit_month LANGUAGE SQL IMMUTABLE AS $$
    SELECT evaluation_city_month(r.decided_at), r.unit_id,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sign
    WHERE r.decision = 'refused' AND r.decided_at IS NOT NULL
$$;

-- Existing cases and refusals.
INSERT INTO evaluation_unit_month AS e
SELECT d.month, d.unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
FROM (SELECT x.* FROM "case" k CROSS JOIN LATERAL evaluation_case_rows(k, 1) x) AS d
GROUP BY d.month, d.unit_id ORDER BY d.unit_id, d.month
ON CONFLICT (month, unit_id) DO UPDATE SET
    dispatched = e.dispatched + excluded.dispatched,
    responded_in_time = e.responded_in_time + excluded.responded_in_time,
    rated = e.rated + excluded.rated,
    resolved = e.resolved + excluded.resolved,
    satisfied = e.satisfied + excluded.satisfied,
    basically_satisfied = e.basically_satisfied + excluded.basically_satisfied,
    dissatisfied = e.dissatisfied + excluded.dissatisfied,
    completed = e.completed + excluded.completed,
    completed_on_time = e.completed_on_time + excluded.completed_on_time,
    overdue = e.overdue + excluded.overdue,
    refused_returns = e.refused_returns + excluded.refused_returns;

INSERT INTO evaluation_unit_month AS e
SELECT d.month, d.unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
FROM (SELECT x.* FROM return_request r CROSS JOIN LATERAL evaluation_refusal_rows(r, 1) x) AS d
GROUP BY d.month, d.unit_id ORDER BY d.unit_id, d.month
ON CONFLICT (month, unit_id) DO UPDATE SET
    dispatched = e.dispatched + excluded.dispatched,
    responded_in_time = e.responded_in_time + excluded.responded_in_time,
    rated = e.rated + excluded.rated,
    resolved = e.resolved + excluded.resolved,
    satisfied = e.satisfied + excluded.satisfied,
    basically_satisfied = e.basically_satisfied + excluded.basically_satisfied,
    dissatisfied = e.dissatisfied + excluded.dissatisfied,
    completed = e.completed + excluded.completed,
    completed_on_time = e.completed_on_time + excluded.completed_on_time,
    overdue = e.overdue + excluded.overdue,
    refused_returns = e.refused_returns + excluded.refused_returns;

-- OLD is NULL on insert and NEW on delete: a NULL row contributes nothing.
CREATE FUNCTION evaluation_case_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO evaluation_unit_month AS e
    SELECT d.month, d.unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (SELECT * FROM evaluation_case_rows(OLD, -1) UNION ALL SELECT * FROM evaluation_case_rows(NEW, 1)) AS d
    GROUP BY d.month, d.unit_id ORDER BY d.unit_id, d.month
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = e.dispatched + excluded.dispatched,
        responded_in_time = e.responded_in_time + excluded.responded_in_time,
        rated = e.rated + excluded.rated,
        resolved = e.resolved + excluded.resolved,
        satisfied = e.satisfied + excluded.satisfied,
        basically_satisfied = e.basically_satisfied + excluded.basically_satisfied,
        dissatisfied = e.dissatisfied + excluded.dissatisfied,
        completed = e.completed + excluded.completed,
        completed_on_time = e.completed_on_time + excluded.completed_on_time,
        overdue = e.overdue + excluded.overdue,
        refused_returns = e.refused_returns + excluded.refused_returns;
    RETURN NULL;
END $$;

CREATE FUNCTION evaluation_refusal_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO evaluation_unit_month AS e
    SELECT d.month, d.unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (SELECT * FROM evaluation_refusal_rows(OLD, -1) UNION ALL SELECT * FROM evaluation_refusal_rows(NEW, 1)) AS d
    GROUP BY d.month, d.unit_id ORDER BY d.unit_id, d.month
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = e.dispatched + excluded.dispatched,
        responded_in_time = e.responded_in_time + excluded.responded_in_time,
        rated = e.rated + excluded.rated,
        resolved = e.resolved + excluded.resolved,
        satisfied = e.satisfied + excluded.satisfied,
        basically_satisfied = e.basically_satisfied + excluded.basically_satisfied,
        dissatisfied = e.dissatisfied + excluded.dissatisfied,
        completed = e.completed + excluded.completed,
        completed_on_time = e.completed_on_time + excluded.completed_on_time,
        overdue = e.overdue + excluded.overdue,
        refused_returns = e.refused_returns + excluded.refused_returns;
    RETURN NULL;
END $$;

CREATE TRIGGER evaluation_case_insert AFTER INSERT ON "case"
FOR EACH ROW WHEN (NEW.unit_id IS NOT NULL) EXECUTE FUNCTION evaluation_case_changed();

CREATE TRIGGER evaluation_case_delete AFTER DELETE ON "case"
FOR EACH ROW WHEN (OLD.unit_id IS NOT NULL) EXECUTE FUNCTION evaluation_case_changed();

CREATE TRIGGER evaluation_case_update
AFTER UPDATE OF unit_id, dispatched_at, claimed_at, deadline_at, completed_at, rated_at, rating_resolved, rating_satisfaction ON "case"
FOR EACH ROW
WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id
   OR OLD.dispatched_at IS DISTINCT FROM NEW.dispatched_at
   OR OLD.claimed_at IS DISTINCT FROM NEW.claimed_at
   OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at
   OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
   OR OLD.rated_at IS DISTINCT FROM NEW.rated_at
   OR OLD.rating_resolved IS DISTINCT FROM NEW.rating_resolved
   OR OLD.rating_satisfaction IS DISTINCT FROM NEW.rating_satisfaction)
EXECUTE FUNCTION evaluation_case_changed();

CREATE TRIGGER evaluation_refusal_insert AFTER INSERT ON return_request
FOR EACH ROW WHEN (NEW.decision = 'refused') EXECUTE FUNCTION evaluation_refusal_changed();

CREATE TRIGGER evaluation_refusal_delete AFTER DELETE ON return_request
FOR EACH ROW WHEN (OLD.decision = 'refused') EXECUTE FUNCTION evaluation_refusal_changed();

CREATE TRIGGER evaluation_refusal_update AFTER UPDATE OF unit_id, decision, decided_at ON return_request
FOR EACH ROW
WHEN (OLD.decision IS NOT DISTINCT FROM 'refused' OR NEW.decision IS NOT DISTINCT FROM 'refused')
EXECUTE FUNCTION evaluation_refusal_changed();
