-- Perceptual hashes of entry photos (src/receipt/phash.h), made by the
-- reader worker and copied here when a photo is read, so that a photo
-- already used in the campaign is found with a scan of short rows (no join,
-- no JSON: about 20 ms per 100,000 photos), the entries' status being looked
-- up for the few close ones only (src/campaign/image_dup.c).
CREATE TABLE entry_image_phash (
    entry_id     TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,              -- entry_images.position
    campaign_id  TEXT NOT NULL,                 -- the entry's
    photo        BLOB NOT NULL,                 -- 32 bytes: the hash of the whole picture
    page         BLOB NOT NULL,                 -- 32 bytes: of the page the reader recognised
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_image_phash_campaign ON entry_image_phash(campaign_id);
