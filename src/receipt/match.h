/* match.h — finds a campaign's target products in a receipt's line items.
 * Tolerant of OCR slips (voicing marks ブ/プ/フ, look-alike glyphs, width,
 * kana script) but not of different products: a differing digit (500ml vs
 * 350ml) never matches, and a whole differing word (うすしお vs のりしお)
 * scores below the threshold. */
#ifndef RECAM_RECEIPT_MATCH_H
#define RECAM_RECEIPT_MATCH_H

#include <jansson.h>
#include <stddef.h>

typedef struct recam_match_target {
	const char *name;		/* as the campaign names it */
	const char *const *aliases;	/* spellings as printed on receipts; may be NULL */
	size_t naliases;
	const char *jan;		/* optional 8/13-digit code; NULL if none */
} recam_match_target;

typedef struct recam_match_hit {
	int item;	/* index into the items array */
	int target;	/* index into the targets */
	double score;	/* 0..1: similarity × the item's confidence */
	double similarity;
} recam_match_hit;

#define RECAM_MATCH_THRESHOLD 0.85

/* Similarity 0..1 of two names after recam_norm_key; 0 if any digit
 * differs. -1 on allocation failure. */
double recam_match_similarity(const char *a, const char *b);

/* For each item (the "items" value array of a parsed receipt) the best
 * target at or above the threshold. *hits is malloc'd. */
int recam_match_items(const json_t *items, const recam_match_target *targets, size_t ntargets,
		      recam_match_hit **hits, size_t *nhits);

#endif
