/* closed_draw.h — a campaign's closed draw on recam's data: the eligible
 * list from the tenant's accepted entries, the commitment published before
 * the draw (SHA-256 of the secret seed and of the list), the draw itself,
 * and the winners recorded. The mathematics is draw.c's. */
#ifndef RECAM_CLOSED_DRAW_H
#define RECAM_CLOSED_DRAW_H

#include <jansson.h>

#include "campaign/campaign.h"
#include "campaign/draw.h"
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

/* Where the campaign's eligible list lives: tenant_dir/draws/{campaign id}.tsv
 * (the directory is created). The CLI and the console use the same file. */
int recam_closed_draw_list_path(const char *tenant_dir, const char *campaign_id, char *out, size_t n);

/* A campaign's draw as stored: the commitment published before it, the
 * record as last published (with winners, alternates and seed once run),
 * and when each happened. RECAM_ENOTFOUND before a commitment. */
typedef struct recam_closed_draw_state {
	json_t *commitment; /* owned */
	json_t *record;	    /* owned */
	int64_t committed_at;
	int64_t executed_at; /* 0 until the draw ran */
} recam_closed_draw_state;
int recam_closed_draw_load(recam_db *db, const char *campaign_id, recam_closed_draw_state *out);
void recam_closed_draw_state_free(recam_closed_draw_state *s);

/* Verifies an executed draw as an outsider would (recam draw verify): the
 * winners and alternates re-derived from the seed and the list file, the
 * result carrying the commitment published before, and in addition that
 * the wins recorded in the database are the published winners and the
 * alternates promoted in their published places. 0 when all holds;
 * RECAM_ECONFLICT with the check filled when one does not. */
typedef struct recam_closed_draw_check {
	/* "verified", "not_run", "list_missing", "draw_mismatch" (mm says
	 * where), "commitment_mismatch", "wins_mismatch" */
	const char *code;
	recam_draw_mismatch mm; /* mm.message: one English sentence */
	size_t entries, winners, alternates, promoted;
} recam_closed_draw_check;
int recam_closed_draw_verify(recam_db *db, const recam_campaign *c, const char *list_path,
			     recam_closed_draw_check *out);

#endif
