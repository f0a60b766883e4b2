-- Supervision notices (督办单) that the case's unit must acknowledge, and whistles (吹哨): a
-- subdistrict summons departments to one case and each must report (报到) within a limit.
CREATE TABLE supervision_notice (
    notice_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES "case" (case_id),
    unit_id TEXT NOT NULL REFERENCES unit (unit_id),
    note TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ
);

CREATE INDEX supervision_notice_case ON supervision_notice (case_id);
CREATE INDEX supervision_notice_unit ON supervision_notice (unit_id, acknowledged_at);

CREATE TABLE whistle (
    whistle_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES "case" (case_id),
    subdistrict_id TEXT NOT NULL REFERENCES subdistrict (subdistrict_id),
    note TEXT NOT NULL,
    blown_by TEXT NOT NULL,
    blown_at TIMESTAMPTZ NOT NULL,
    report_by TIMESTAMPTZ NOT NULL
);

CREATE INDEX whistle_case ON whistle (case_id);

CREATE TABLE whistle_report (
    whistle_id BIGINT NOT NULL REFERENCES whistle (whistle_id),
    unit_id TEXT NOT NULL REFERENCES unit (unit_id),
    reported_by TEXT,
    reported_at TIMESTAMPTZ,
    note TEXT,
    PRIMARY KEY (whistle_id, unit_id)
);

CREATE INDEX whistle_report_unit ON whistle_report (unit_id, reported_at);
