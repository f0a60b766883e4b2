-- Pre-aggregated counters for the public figures: cases received and finished per city-local
-- day (UTC+8, the city's fixed offset in the core), once per category and once per community.
-- Triggers on "case" keep them exact whatever code writes the cases, so a month's figures sum
-- at most days x categories (or communities) rows instead of scanning every case.
CREATE TABLE figures_category_day (
    day TEXT NOT NULL,
    category_id TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, category_id)
);

CREATE TABLE figures_community_day (
    day TEXT NOT NULL,
    community_id TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, community_id)
);

INSERT INTO figures_category_day (day, category_id, received)
SELECT date(submitted_at, '+8 hours'), category_id, COUNT(*) FROM "case" WHERE true GROUP BY 1, 2;
INSERT INTO figures_category_day (day, category_id, finished, finished_on_time)
SELECT date(completed_at, '+8 hours'), category_id, COUNT(*),
       SUM(CASE WHEN completed_at <= deadline_at THEN 1 ELSE 0 END)
FROM "case" WHERE completed_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, category_id) DO UPDATE SET finished = excluded.finished,
    finished_on_time = excluded.finished_on_time;

INSERT INTO figures_community_day (day, community_id, received)
SELECT date(submitted_at, '+8 hours'), community_id, COUNT(*) FROM "case" WHERE true GROUP BY 1, 2;
INSERT INTO figures_community_day (day, community_id, finished, finished_on_time)
SELECT date(completed_at, '+8 hours'), community_id, COUNT(*),
       SUM(CASE WHEN completed_at <= deadline_at THEN 1 ELSE 0 END)
FROM "case" WHERE completed_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, community_id) DO UPDATE SET finished = excluded.finished,
    finished_on_time = excluded.finished_on_time;

-- Received: counted when the case is written, moved if its day, category or community changes.
CREATE TRIGGER figures_received_insert AFTER INSERT ON "case"
BEGIN
    INSERT INTO figures_category_day (day, category_id, received)
    VALUES (date(NEW.submitted_at, '+8 hours'), NEW.category_id, 1)
    ON CONFLICT (day, category_id) DO UPDATE SET received = received + 1;
    INSERT INTO figures_community_day (day, community_id, received)
    VALUES (date(NEW.submitted_at, '+8 hours'), NEW.community_id, 1)
    ON CONFLICT (day, community_id) DO UPDATE SET received = received + 1;
END;

CREATE TRIGGER figures_received_update AFTER UPDATE OF submitted_at, category_id, community_id ON "case"
WHEN OLD.submitted_at IS NOT NEW.submitted_at OR OLD.category_id IS NOT NEW.category_id
  OR OLD.community_id IS NOT NEW.community_id
BEGIN
    UPDATE figures_category_day SET received = received - 1
    WHERE day = date(OLD.submitted_at, '+8 hours') AND category_id = OLD.category_id;
    UPDATE figures_community_day SET received = received - 1
    WHERE day = date(OLD.submitted_at, '+8 hours') AND community_id = OLD.community_id;
    INSERT INTO figures_category_day (day, category_id, received)
    VALUES (date(NEW.submitted_at, '+8 hours'), NEW.category_id, 1)
    ON CONFLICT (day, category_id) DO UPDATE SET received = received + 1;
    INSERT INTO figures_community_day (day, community_id, received)
    VALUES (date(NEW.submitted_at, '+8 hours'), NEW.community_id, 1)
    ON CONFLICT (day, community_id) DO UPDATE SET received = received + 1;
END;

-- Finished: counted on the day of completion, on time if by the deadline; a reopened case
-- (completion cleared) or a changed deadline moves the count.
CREATE TRIGGER figures_finished_insert AFTER INSERT ON "case"
WHEN NEW.completed_at IS NOT NULL
BEGIN
    INSERT INTO figures_category_day (day, category_id, finished, finished_on_time)
    VALUES (date(NEW.completed_at, '+8 hours'), NEW.category_id, 1,
            CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END)
    ON CONFLICT (day, category_id) DO UPDATE SET finished = finished + 1,
        finished_on_time = finished_on_time + excluded.finished_on_time;
    INSERT INTO figures_community_day (day, community_id, finished, finished_on_time)
    VALUES (date(NEW.completed_at, '+8 hours'), NEW.community_id, 1,
            CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END)
    ON CONFLICT (day, community_id) DO UPDATE SET finished = finished + 1,
        finished_on_time = finished_on_time + excluded.finished_on_time;
END;

CREATE TRIGGER figures_finished_update
AFTER UPDATE OF completed_at, deadline_at, category_id, community_id ON "case"
WHEN OLD.completed_at IS NOT NEW.completed_at OR OLD.deadline_at IS NOT NEW.deadline_at
  OR OLD.category_id IS NOT NEW.category_id OR OLD.community_id IS NOT NEW.community_id
BEGIN
    UPDATE figures_category_day SET finished = finished - 1,
        finished_on_time = finished_on_time
            - CASE WHEN OLD.completed_at <= OLD.deadline_at THEN 1 ELSE 0 END
    WHERE day = date(OLD.completed_at, '+8 hours') AND category_id = OLD.category_id;
    UPDATE figures_community_day SET finished = finished - 1,
        finished_on_time = finished_on_time
            - CASE WHEN OLD.completed_at <= OLD.deadline_at THEN 1 ELSE 0 END
    WHERE day = date(OLD.completed_at, '+8 hours') AND community_id = OLD.community_id;
    INSERT INTO figures_category_day (day, category_id, finished, finished_on_time)
    SELECT date(NEW.completed_at, '+8 hours'), NEW.category_id, 1,
           CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END
    WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT (day, category_id) DO UPDATE SET finished = finished + 1,
        finished_on_time = finished_on_time + excluded.finished_on_time;
    INSERT INTO figures_community_day (day, community_id, finished, finished_on_time)
    SELECT date(NEW.completed_at, '+8 hours'), NEW.community_id, 1,
           CASE WHEN NEW.completed_at <= NEW.deadline_at THEN 1 ELSE 0 END
    WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT (day, community_id) DO UPDATE SET finished = finished + 1,
        finished_on_time = finished_on_time + excluded.finished_on_time;
END;

CREATE TRIGGER figures_delete AFTER DELETE ON "case"
BEGIN
    UPDATE figures_category_day SET received = received - 1
    WHERE day = date(OLD.submitted_at, '+8 hours') AND category_id = OLD.category_id;
    UPDATE figures_community_day SET received = received - 1
    WHERE day = date(OLD.submitted_at, '+8 hours') AND community_id = OLD.community_id;
    UPDATE figures_category_day SET finished = finished - 1,
        finished_on_time = finished_on_time
            - CASE WHEN OLD.completed_at <= OLD.deadline_at THEN 1 ELSE 0 END
    WHERE day = date(OLD.completed_at, '+8 hours') AND category_id = OLD.category_id;
    UPDATE figures_community_day SET finished = finished - 1,
        finished_on_time = finished_on_time
            - CASE WHEN OLD.completed_at <= OLD.deadline_at THEN 1 ELSE 0 END
    WHERE day = date(OLD.completed_at, '+8 hours') AND community_id = OLD.community_id;
END;
