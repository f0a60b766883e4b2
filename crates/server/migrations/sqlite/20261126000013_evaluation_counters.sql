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
-- and adds the new one.
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

-- Existing cases and refusals.
INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
FROM (
        SELECT strftime('%Y-%m', k.dispatched_at, '+8 hours') AS month, k.unit_id AS unit_id, 1 AS dispatched, CASE WHEN k.claimed_at IS NOT NULL AND ROUND((julianday(k.claimed_at) - julianday(k.dispatched_at)) * 86400000) <= (SELECT response_limit_hours * 3600000 FROM evaluation_policy) THEN 1 ELSE 0 END AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        FROM "case" k WHERE k.unit_id IS NOT NULL AND k.dispatched_at IS NOT NULL AND k.deadline_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', k.rated_at, '+8 hours') AS month, k.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 1 AS rated, CASE WHEN k.rating_resolved THEN 1 ELSE 0 END AS resolved, CASE WHEN k.rating_satisfaction = 'satisfied' THEN 1 ELSE 0 END AS satisfied, CASE WHEN k.rating_satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END AS basically_satisfied, CASE WHEN k.rating_satisfaction = 'dissatisfied' THEN 1 ELSE 0 END AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        FROM "case" k WHERE k.unit_id IS NOT NULL AND k.dispatched_at IS NOT NULL AND k.deadline_at IS NOT NULL AND k.rated_at IS NOT NULL AND k.rating_resolved IS NOT NULL
          AND k.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
        UNION ALL SELECT strftime('%Y-%m', k.completed_at, '+8 hours') AS month, k.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 1 AS completed, CASE WHEN k.completed_at <= k.deadline_at THEN 1 ELSE 0 END AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        FROM "case" k WHERE k.unit_id IS NOT NULL AND k.dispatched_at IS NOT NULL AND k.deadline_at IS NOT NULL AND k.completed_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', k.deadline_at, '+8 hours') AS month, k.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 1 AS overdue, 0 AS refused_returns
        FROM "case" k WHERE k.unit_id IS NOT NULL AND k.dispatched_at IS NOT NULL AND k.deadline_at IS NOT NULL AND (k.completed_at IS NULL OR k.completed_at > k.deadline_at)
    ) AS d
WHERE true GROUP BY month, unit_id
ON CONFLICT (month, unit_id) DO UPDATE SET
    dispatched = dispatched + excluded.dispatched,
    responded_in_time = responded_in_time + excluded.responded_in_time,
    rated = rated + excluded.rated,
    resolved = resolved + excluded.resolved,
    satisfied = satisfied + excluded.satisfied,
    basically_satisfied = basically_satisfied + excluded.basically_satisfied,
    dissatisfied = dissatisfied + excluded.dissatisfied,
    completed = completed + excluded.completed,
    completed_on_time = completed_on_time + excluded.completed_on_time,
    overdue = overdue + excluded.overdue,
    refused_returns = refused_returns + excluded.refused_returns;
INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
FROM (
        SELECT strftime('%Y-%m', r.decided_at, '+8 hours') AS month, r.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 1 AS refused_returns
        FROM return_request r WHERE r.decision = 'refused' AND r.decided_at IS NOT NULL
) AS d
WHERE true GROUP BY month, unit_id
ON CONFLICT (month, unit_id) DO UPDATE SET
    dispatched = dispatched + excluded.dispatched,
    responded_in_time = responded_in_time + excluded.responded_in_time,
    rated = rated + excluded.rated,
    resolved = resolved + excluded.resolved,
    satisfied = satisfied + excluded.satisfied,
    basically_satisfied = basically_satisfied + excluded.basically_satisfied,
    dissatisfied = dissatisfied + excluded.dissatisfied,
    completed = completed + excluded.completed,
    completed_on_time = completed_on_time + excluded.completed_on_time,
    overdue = overdue + excluded.overdue,
    refused_returns = refused_returns + excluded.refused_returns;

CREATE TRIGGER evaluation_case_insert AFTER INSERT ON "case"
WHEN NEW.unit_id IS NOT NULL
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', NEW.dispatched_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 1 AS dispatched, CASE WHEN NEW.claimed_at IS NOT NULL AND ROUND((julianday(NEW.claimed_at) - julianday(NEW.dispatched_at)) * 86400000) <= (SELECT response_limit_hours * 3600000 FROM evaluation_policy) THEN 1 ELSE 0 END AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', NEW.rated_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 1 AS rated, CASE WHEN NEW.rating_resolved THEN 1 ELSE 0 END AS resolved, CASE WHEN NEW.rating_satisfaction = 'satisfied' THEN 1 ELSE 0 END AS satisfied, CASE WHEN NEW.rating_satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END AS basically_satisfied, CASE WHEN NEW.rating_satisfaction = 'dissatisfied' THEN 1 ELSE 0 END AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND NEW.rated_at IS NOT NULL AND NEW.rating_resolved IS NOT NULL
          AND NEW.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
        UNION ALL SELECT strftime('%Y-%m', NEW.completed_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 1 AS completed, CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND NEW.completed_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', NEW.deadline_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 1 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND (NEW.completed_at IS NULL OR NEW.completed_at > NEW.deadline_at)
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;

CREATE TRIGGER evaluation_case_update
AFTER UPDATE OF unit_id, dispatched_at, claimed_at, deadline_at, completed_at, rated_at, rating_resolved, rating_satisfaction ON "case"
WHEN (OLD.unit_id IS NOT NULL OR NEW.unit_id IS NOT NULL)
  AND (OLD.unit_id IS NOT NEW.unit_id OR OLD.dispatched_at IS NOT NEW.dispatched_at OR OLD.claimed_at IS NOT NEW.claimed_at OR OLD.deadline_at IS NOT NEW.deadline_at OR OLD.completed_at IS NOT NEW.completed_at OR OLD.rated_at IS NOT NEW.rated_at OR OLD.rating_resolved IS NOT NEW.rating_resolved OR OLD.rating_satisfaction IS NOT NEW.rating_satisfaction)
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', OLD.dispatched_at, '+8 hours') AS month, OLD.unit_id AS unit_id, -1 AS dispatched, CASE WHEN OLD.claimed_at IS NOT NULL AND ROUND((julianday(OLD.claimed_at) - julianday(OLD.dispatched_at)) * 86400000) <= (SELECT response_limit_hours * 3600000 FROM evaluation_policy) THEN -1 ELSE 0 END AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', OLD.rated_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, -1 AS rated, CASE WHEN OLD.rating_resolved THEN -1 ELSE 0 END AS resolved, CASE WHEN OLD.rating_satisfaction = 'satisfied' THEN -1 ELSE 0 END AS satisfied, CASE WHEN OLD.rating_satisfaction = 'basically_satisfied' THEN -1 ELSE 0 END AS basically_satisfied, CASE WHEN OLD.rating_satisfaction = 'dissatisfied' THEN -1 ELSE 0 END AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND OLD.rated_at IS NOT NULL AND OLD.rating_resolved IS NOT NULL
          AND OLD.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
        UNION ALL SELECT strftime('%Y-%m', OLD.completed_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, -1 AS completed, CASE WHEN OLD.completed_at <= OLD.deadline_at THEN -1 ELSE 0 END AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND OLD.completed_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', OLD.deadline_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, -1 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND (OLD.completed_at IS NULL OR OLD.completed_at > OLD.deadline_at)
        UNION ALL SELECT strftime('%Y-%m', NEW.dispatched_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 1 AS dispatched, CASE WHEN NEW.claimed_at IS NOT NULL AND ROUND((julianday(NEW.claimed_at) - julianday(NEW.dispatched_at)) * 86400000) <= (SELECT response_limit_hours * 3600000 FROM evaluation_policy) THEN 1 ELSE 0 END AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', NEW.rated_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 1 AS rated, CASE WHEN NEW.rating_resolved THEN 1 ELSE 0 END AS resolved, CASE WHEN NEW.rating_satisfaction = 'satisfied' THEN 1 ELSE 0 END AS satisfied, CASE WHEN NEW.rating_satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END AS basically_satisfied, CASE WHEN NEW.rating_satisfaction = 'dissatisfied' THEN 1 ELSE 0 END AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND NEW.rated_at IS NOT NULL AND NEW.rating_resolved IS NOT NULL
          AND NEW.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
        UNION ALL SELECT strftime('%Y-%m', NEW.completed_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 1 AS completed, CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND NEW.completed_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', NEW.deadline_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 1 AS overdue, 0 AS refused_returns
        WHERE NEW.unit_id IS NOT NULL AND NEW.dispatched_at IS NOT NULL AND NEW.deadline_at IS NOT NULL AND (NEW.completed_at IS NULL OR NEW.completed_at > NEW.deadline_at)
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;

CREATE TRIGGER evaluation_case_delete AFTER DELETE ON "case"
WHEN OLD.unit_id IS NOT NULL
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', OLD.dispatched_at, '+8 hours') AS month, OLD.unit_id AS unit_id, -1 AS dispatched, CASE WHEN OLD.claimed_at IS NOT NULL AND ROUND((julianday(OLD.claimed_at) - julianday(OLD.dispatched_at)) * 86400000) <= (SELECT response_limit_hours * 3600000 FROM evaluation_policy) THEN -1 ELSE 0 END AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', OLD.rated_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, -1 AS rated, CASE WHEN OLD.rating_resolved THEN -1 ELSE 0 END AS resolved, CASE WHEN OLD.rating_satisfaction = 'satisfied' THEN -1 ELSE 0 END AS satisfied, CASE WHEN OLD.rating_satisfaction = 'basically_satisfied' THEN -1 ELSE 0 END AS basically_satisfied, CASE WHEN OLD.rating_satisfaction = 'dissatisfied' THEN -1 ELSE 0 END AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND OLD.rated_at IS NOT NULL AND OLD.rating_resolved IS NOT NULL
          AND OLD.rating_satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')
        UNION ALL SELECT strftime('%Y-%m', OLD.completed_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, -1 AS completed, CASE WHEN OLD.completed_at <= OLD.deadline_at THEN -1 ELSE 0 END AS completed_on_time, 0 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND OLD.completed_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', OLD.deadline_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, -1 AS overdue, 0 AS refused_returns
        WHERE OLD.unit_id IS NOT NULL AND OLD.dispatched_at IS NOT NULL AND OLD.deadline_at IS NOT NULL AND (OLD.completed_at IS NULL OR OLD.completed_at > OLD.deadline_at)
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;

CREATE TRIGGER evaluation_refusal_insert AFTER INSERT ON return_request
WHEN NEW.decision = 'refused'
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', NEW.decided_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 1 AS refused_returns
        WHERE NEW.decision = 'refused' AND NEW.decided_at IS NOT NULL
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;

CREATE TRIGGER evaluation_refusal_update AFTER UPDATE OF unit_id, decision, decided_at ON return_request
WHEN (OLD.decision IS 'refused' OR NEW.decision IS 'refused')
  AND (OLD.unit_id IS NOT NEW.unit_id OR OLD.decision IS NOT NEW.decision
    OR OLD.decided_at IS NOT NEW.decided_at)
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', OLD.decided_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, -1 AS refused_returns
        WHERE OLD.decision = 'refused' AND OLD.decided_at IS NOT NULL
        UNION ALL SELECT strftime('%Y-%m', NEW.decided_at, '+8 hours') AS month, NEW.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, 1 AS refused_returns
        WHERE NEW.decision = 'refused' AND NEW.decided_at IS NOT NULL
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;

CREATE TRIGGER evaluation_refusal_delete AFTER DELETE ON return_request
WHEN OLD.decision IS 'refused'
BEGIN
    INSERT INTO evaluation_unit_month (month, unit_id, dispatched, responded_in_time, rated, resolved, satisfied, basically_satisfied, dissatisfied, completed, completed_on_time, overdue, refused_returns)
    SELECT month, unit_id, SUM(dispatched), SUM(responded_in_time), SUM(rated), SUM(resolved), SUM(satisfied), SUM(basically_satisfied), SUM(dissatisfied), SUM(completed), SUM(completed_on_time), SUM(overdue), SUM(refused_returns)
    FROM (
        SELECT strftime('%Y-%m', OLD.decided_at, '+8 hours') AS month, OLD.unit_id AS unit_id, 0 AS dispatched, 0 AS responded_in_time, 0 AS rated, 0 AS resolved, 0 AS satisfied, 0 AS basically_satisfied, 0 AS dissatisfied, 0 AS completed, 0 AS completed_on_time, 0 AS overdue, -1 AS refused_returns
        WHERE OLD.decision = 'refused' AND OLD.decided_at IS NOT NULL
    ) AS d
    WHERE true GROUP BY month, unit_id
    ON CONFLICT (month, unit_id) DO UPDATE SET
        dispatched = dispatched + excluded.dispatched,
        responded_in_time = responded_in_time + excluded.responded_in_time,
        rated = rated + excluded.rated,
        resolved = resolved + excluded.resolved,
        satisfied = satisfied + excluded.satisfied,
        basically_satisfied = basically_satisfied + excluded.basically_satisfied,
        dissatisfied = dissatisfied + excluded.dissatisfied,
        completed = completed + excluded.completed,
        completed_on_time = completed_on_time + excluded.completed_on_time,
        overdue = overdue + excluded.overdue,
        refused_returns = refused_returns + excluded.refused_returns;
END;
