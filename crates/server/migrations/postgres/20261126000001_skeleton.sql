-- The grid, the units, the dispatch catalogue and cases with their timeline.
CREATE TABLE district (
    district_id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE subdistrict (
    subdistrict_id TEXT PRIMARY KEY,
    district_id TEXT NOT NULL REFERENCES district (district_id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE community (
    community_id TEXT PRIMARY KEY,
    subdistrict_id TEXT NOT NULL REFERENCES subdistrict (subdistrict_id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE unit (
    unit_id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT NOT NULL
);

CREATE TABLE category (
    category_id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE catalog_item (
    catalog_item_id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL REFERENCES category (category_id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES unit (unit_id),
    tier TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

-- One row per city-local day: the last serial handed out for that day's case numbers.
CREATE TABLE case_number_counter (
    day DATE PRIMARY KEY,
    last_serial BIGINT NOT NULL
);

CREATE TABLE "case" (
    case_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    idempotency_key_hash TEXT NOT NULL UNIQUE,
    lookup_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    category_id TEXT NOT NULL REFERENCES category (category_id),
    community_id TEXT NOT NULL REFERENCES community (community_id),
    description TEXT NOT NULL,
    address TEXT,
    contact_name TEXT,
    contact_phone TEXT NOT NULL,
    tier TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    deadline_at TIMESTAMPTZ
);

CREATE TABLE case_event (
    case_event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES "case" (case_id),
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    note TEXT
);

CREATE INDEX case_event_case_id ON case_event (case_id, case_event_id);
