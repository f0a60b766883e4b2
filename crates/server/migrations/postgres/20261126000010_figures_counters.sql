-- Pre-aggregated counters for the public figures: cases received and finished per city-local
-- day (UTC+8, the city's fixed offset in the core), once per category and once per community.
-- A trigger on "case" keeps them exact whatever code writes the cases, so a month's figures sum
-- at most days x categories (or communities) rows instead of scanning every case.
CREATE TABLE figures_category_day (
    day DATE NOT NULL,
    category_id TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, category_id)
);

CREATE TABLE figures_community_day (
    day DATE NOT NULL,
    community_id TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, community_id)
);

CREATE FUNCTION figures_city_day(at TIMESTAMPTZ) RETURNS DATE
LANGUAGE SQL IMMUTABLE AS $$ SELECT ((at AT TIME ZONE 'UTC') + INTERVAL '8 hours')::date $$;

INSERT INTO figures_category_day (day, category_id, received)
SELECT figures_city_day(submitted_at), category_id, COUNT(*) FROM "case" GROUP BY 1, 2;
INSERT INTO figures_category_day (day, category_id, finished, finished_on_time)
SELECT figures_city_day(completed_at), category_id, COUNT(*),
       SUM(CASE WHEN completed_at <= deadline_at THEN 1 ELSE 0 END)
FROM "case" WHERE completed_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, category_id) DO UPDATE SET finished = excluded.finished,
    finished_on_time = excluded.finished_on_time;

INSERT INTO figures_community_day (day, community_id, received)
SELECT figures_city_day(submitted_at), community_id, COUNT(*) FROM "case" GROUP BY 1, 2;
INSERT INTO figures_community_day (day, community_id, finished, finished_on_time)
SELECT figures_city_day(completed_at), community_id, COUNT(*),
       SUM(CASE WHEN completed_at <= deadline_at THEN 1 ELSE 0 END)
FROM "case" WHERE completed_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, community_id) DO UPDATE SET finished = excluded.finished,
    finished_on_time = excluded.finished_on_time;

-- Adds `sign` (1 or -1) times one case's contribution: received on its submission day, finished
-- (and on time if by the deadline) on its completion day. Category rows are always taken before
-- community rows, so two transactions never wait on each other in opposite orders.
CREATE FUNCTION figures_count(c "case", sign INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    on_time INTEGER := CASE WHEN c.completed_at <= c.deadline_at THEN sign ELSE 0 END;
BEGIN
    INSERT INTO figures_category_day AS f (day, category_id, received)
    VALUES (figures_city_day(c.submitted_at), c.category_id, sign)
    ON CONFLICT (day, category_id) DO UPDATE SET received = f.received + sign;
    IF c.completed_at IS NOT NULL THEN
        INSERT INTO figures_category_day AS f (day, category_id, finished, finished_on_time)
        VALUES (figures_city_day(c.completed_at), c.category_id, sign, on_time)
        ON CONFLICT (day, category_id) DO UPDATE
        SET finished = f.finished + sign, finished_on_time = f.finished_on_time + on_time;
    END IF;
    INSERT INTO figures_community_day AS f (day, community_id, received)
    VALUES (figures_city_day(c.submitted_at), c.community_id, sign)
    ON CONFLICT (day, community_id) DO UPDATE SET received = f.received + sign;
    IF c.completed_at IS NOT NULL THEN
        INSERT INTO figures_community_day AS f (day, community_id, finished, finished_on_time)
        VALUES (figures_city_day(c.completed_at), c.community_id, sign, on_time)
        ON CONFLICT (day, community_id) DO UPDATE
        SET finished = f.finished + sign, finished_on_time = f.finished_on_time + on_time;
    END IF;
END $$;

CREATE FUNCTION figures_case_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM figures_count(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM figures_count(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER figures_insert_delete AFTER INSERT OR DELETE ON "case"
FOR EACH ROW EXECUTE FUNCTION figures_case_changed();

CREATE TRIGGER figures_update
AFTER UPDATE OF submitted_at, completed_at, deadline_at, category_id, community_id ON "case"
FOR EACH ROW
WHEN (OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
   OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
   OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at
   OR OLD.category_id IS DISTINCT FROM NEW.category_id
   OR OLD.community_id IS DISTINCT FROM NEW.community_id)
EXECUTE FUNCTION figures_case_changed();
