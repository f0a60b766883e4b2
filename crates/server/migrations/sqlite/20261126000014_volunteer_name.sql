-- The volunteer who submitted an appeal for someone else (channel 'volunteer'), so the platform
-- knows who helped; shown to staff with the same care as the resident's own contact.
ALTER TABLE "case" ADD COLUMN volunteer_name TEXT;
