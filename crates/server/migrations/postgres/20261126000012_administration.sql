-- Administration: units and dispatch items are retired, never deleted (cases refer to them);
-- staff accounts are disabled; the clock rules (tiers, response limit, working-day calendar)
-- live in the database, one row per version, so every server instance counts by the same
-- rules and a case keeps the rules in force when it was accepted.
ALTER TABLE unit ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE catalog_item ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE staff_account ADD COLUMN disabled_at TIMESTAMPTZ;

CREATE INDEX catalog_item_unit ON catalog_item (unit_id);

CREATE TABLE clock_rules (
    clock_rules_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    effective_from TIMESTAMPTZ NOT NULL,
    -- The deadline policy as JSON, the calendar in its line format.
    policy TEXT NOT NULL,
    calendar TEXT NOT NULL,
    changed_by TEXT
);

-- One row per administrative change to units, items or clock rules: every server instance polls
-- the newest id and reloads what it holds in memory when it moves.
CREATE TABLE admin_revision (
    admin_revision_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL
);
