/* image_dup.h — "this photo was already used": a photo whose perceptual
 * hash (receipt/phash.h, made by the reader worker) is within a few bits of
 * a photo of a live entry (accepted or under review) of the same campaign,
 * or of another photo of the same entry, AND whose reading does not
 * contradict that photo's reading.
 *
 * The reading check is what keeps two receipts of one shop apart: their
 * layout is the same, so their hashes can be as close as two photos of one
 * receipt (measured, docs/reader.md "Perceptual hash"); their totals, times
 * or receipt numbers are not. Two photos count as the same receipt only
 * when no field read with confidence in both differs and at least one of
 * total, time or receipt number agrees. */
#ifndef RECAM_IMAGE_DUP_H
#define RECAM_IMAGE_DUP_H

#include <jansson.h>
#include <stdbool.h>

#include "receipt/phash.h"
#include "store/db.h"

/* The hashes in a reader JSON object ("phash": {"v","photo","page"}); false
 * when it has none or of another version. */
bool recam_image_dup_hashes(const json_t *receipt, recam_phash *photo, recam_phash *page);
/* Keeps the hashes of photo `position` of an entry (entry_image_phash) from
 * its reading, or forgets them when the reading has none. */
int recam_image_dup_store(recam_db *db, const char *entry_id, int position, const json_t *receipt);

/* Forgets an entry's hashes (it was rejected: its photos may come again). */
int recam_image_dup_forget(recam_db *db, const char *entry_id);

/* The readings of two photos agree (see above). */
bool recam_image_dup_readings_agree(const json_t *a, const json_t *b);
/* Two photos (hashes and readings) are the same receipt. */
bool recam_image_dup_same(const recam_phash *photo_a, const recam_phash *page_a, const json_t *reading_a,
			  const recam_phash *photo_b, const recam_phash *page_b, const json_t *reading_b);

/* Whether a photo of receipts[] (one reader JSON per photo of entry_id, in
 * order) is the same as a photo of another live entry of the campaign, or
 * as another photo of this entry. Reads entry_image_phash and, for the
 * closest photos, their readings in entry_images; meant to run inside
 * the judging transaction, so two entries judged at once cannot both pass. */
int recam_image_dup_find(recam_db *db, const char *campaign_id, const char *entry_id, const json_t *receipts,
			 bool *dup);

#endif
