-- Open311 GeoReport v2 and photos: the questions a category asks and the answers a case gave;
-- a case's position and the communities' centres (to place an appeal sent by position only);
-- when a case last changed (Open311's updated_datetime); the token of an Open311 submission;
-- uploaded photos, kept in the database so every server instance serves them; API keys.
ALTER TABLE category ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE community ADD COLUMN latitude REAL;
ALTER TABLE community ADD COLUMN longitude REAL;

CREATE TABLE api_key (
    api_key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

ALTER TABLE "case" ADD COLUMN latitude REAL;
ALTER TABLE "case" ADD COLUMN longitude REAL;
ALTER TABLE "case" ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "case" ADD COLUMN service_token TEXT;
ALTER TABLE "case" ADD COLUMN api_key_id TEXT REFERENCES api_key (api_key_id);
ALTER TABLE "case" ADD COLUMN updated_at TEXT;
UPDATE "case" SET updated_at = COALESCE(
    (SELECT MAX(e.at) FROM case_event e WHERE e.case_id = "case".case_id), submitted_at);

CREATE UNIQUE INDEX case_service_token ON "case" (service_token);
CREATE INDEX case_submitted_at ON "case" (submitted_at);
CREATE INDEX case_updated_at ON "case" (updated_at);

CREATE TABLE photo (
    photo_id TEXT PRIMARY KEY,
    case_id INTEGER REFERENCES "case" (case_id),
    sort_order INTEGER,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE INDEX photo_case ON photo (case_id, sort_order);
CREATE INDEX photo_unattached ON photo (uploaded_at) WHERE case_id IS NULL;
