/* closed_draw.h — a campaign's closed draw on recam's data: the eligible
 * list from the tenant's accepted entries, the commitment published before
 * the draw (SHA-256 of the secret seed and of the list), the draw itself,
 * and the winners recorded. The mathematics is draw.c's. */
#ifndef RECAM_CLOSED_DRAW_H
#define RECAM_CLOSED_DRAW_H

#include <jansson.h>

#include "campaign/campaign.h"
#include "core/crypto.h"

/* Builds the eligible list, writes it (canonical, one entry a line) to
 * list_path, draws and seals a seed, and stores the commitment. A campaign
 * drawn already gives RECAM_ECONFLICT. *commitment: the record to publish. */
int recam_closed_draw_commit(recam_db *db, const recam_key *tenant_key, const recam_campaign *c, size_t winners,
			     size_t alternates, const char *list_path, json_t **commitment);
/* Runs the committed draw against the list file (refused if it changed),
 * records the winners as wins of kind "draw", and stores the full record
 * with the seed. *record: the record to publish. */
int recam_closed_draw_execute(recam_db *db, const recam_key *tenant_key, const recam_campaign *c,
			      const char *list_path, json_t **record);

#endif
