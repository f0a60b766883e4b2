-- Photo quotas: who uploaded a photo (a hash of the client's address, or of its /64 for IPv6;
-- forgotten after a day) and how many bytes it keeps, so that an address's bytes in the last
-- hour and the bytes of photos no case has taken yet are summed from indexes alone, without
-- reading the photos themselves.
ALTER TABLE photo ADD COLUMN uploader TEXT;
ALTER TABLE photo ADD COLUMN byte_count INTEGER NOT NULL DEFAULT 0;
UPDATE photo SET byte_count = length(bytes);

DROP INDEX photo_unattached;
-- case_id leads (always NULL here) so that SQLite, which would otherwise pick photo_case and read
-- each photo's row (byte_count lies past the blob, in its overflow pages), takes this index.
CREATE INDEX photo_unattached ON photo (case_id, uploaded_at, byte_count) WHERE case_id IS NULL;
CREATE INDEX photo_uploader ON photo (uploader, uploaded_at, byte_count)
    WHERE uploader IS NOT NULL;
