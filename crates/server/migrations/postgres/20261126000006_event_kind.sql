-- Timeline entries are status changes or notes (a resident's added information, a unit's
-- progress) that leave the status as it was.
ALTER TABLE case_event ADD COLUMN kind TEXT NOT NULL DEFAULT 'transition';
