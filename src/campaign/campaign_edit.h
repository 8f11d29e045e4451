/* campaign_edit.h — what staff do to campaigns in the admin console: the
 * list with entry counts and prize stock, one campaign with its version,
 * create, update by id with a version check, the status transitions
 * (publish, pause, end), duplicate. The definition is recam's campaign JSON
 * format (campaign.h, docs/campaign-format.md); its "status" is never taken
 * from a client: a new campaign is a draft, and only a transition changes it.
 *
 * The writing functions run inside the caller's transaction, so the change
 * and its audit record commit together. */
#ifndef RECAM_CAMPAIGN_EDIT_H
#define RECAM_CAMPAIGN_EDIT_H

#include <jansson.h>

#include "campaign/campaign.h"
#include "store/db.h"

/* Why a write was refused (the functions then return RECAM_ECONFLICT or,
 * for RECAM_EDIT_SLUG_FIXED, RECAM_EINVAL). */
enum recam_edit_fault {
	RECAM_EDIT_OK = 0,
	RECAM_EDIT_STALE,	     /* the version sent is not the stored one */
	RECAM_EDIT_SLUG_TAKEN,	     /* another campaign has this slug */
	RECAM_EDIT_SLUG_FIXED,	     /* the URL of a campaign once published stays */
	RECAM_EDIT_ALREADY,	     /* the transition's target is the current status */
	RECAM_EDIT_ENDED,	     /* an ended campaign stays ended */
	RECAM_EDIT_NOT_PUBLISHED,    /* pause or end of a draft */
	RECAM_EDIT_PERIOD_OVER,	     /* publishing after the entry period */
};

/* Every campaign, newest first: id, slug, title, status, phase, entry
 * period, version, updated_at, entry counts by status, prizes with stock. */
int recam_campaign_edit_list(recam_db *db, int64_t now, json_t **out);
/* One campaign for the editor: the same plus "definition". */
int recam_campaign_edit_get(recam_db *db, const char *id, int64_t now, json_t **out);

/* def must have passed recam_campaign_parse. Its status is set to draft. */
int recam_campaign_edit_create(recam_db *db, json_t *def, char id[RECAM_ID_LEN + 1], enum recam_edit_fault *fault);
/* Replaces the definition of id (its status set to the stored one) when
 * expected_version is the stored version; the version goes up by one. */
int recam_campaign_edit_update(recam_db *db, const char *id, json_t *def, int64_t expected_version,
			       enum recam_edit_fault *fault);
/* to: "published", "paused" or "ended"; expected_version 0 skips the check. */
int recam_campaign_edit_transition(recam_db *db, const char *id, const char *to, int64_t expected_version,
				   int64_t now, enum recam_edit_fault *fault);
/* A draft copy of id under slug (NULL: "{slug}-copy", "-copy-2", ...) with
 * title_suffix added to its title; prize stock starts afresh. */
int recam_campaign_edit_duplicate(recam_db *db, const char *id, const char *slug, const char *title_suffix,
				  char new_id[RECAM_ID_LEN + 1], enum recam_edit_fault *fault);

#endif
