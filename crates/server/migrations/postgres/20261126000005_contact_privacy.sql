-- Anonymous appeals and identities hidden from the handling unit; and the record of every staff
-- view of a resident's contact details.
ALTER TABLE "case" ADD COLUMN anonymous BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE "case" ADD COLUMN hide_identity BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE contact_access (
    contact_access_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES "case" (case_id),
    staff_account_id TEXT NOT NULL REFERENCES staff_account (staff_account_id),
    role TEXT NOT NULL,
    purpose TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE INDEX contact_access_case ON contact_access (case_id, contact_access_id);
