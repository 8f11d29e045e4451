/* match_eval — runs the campaign product matcher (src/receipt/match.c) over
 * reader output, for bench/reader/match.py. One JSON object per input line:
 *   {"items": [...the "items" value of `recam read`...],
 *    "targets": [{"name": "...", "aliases": ["..."]}, ...]}
 * and one per output line: {"hits": [[item, target, similarity], ...]}. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "receipt/match.h"

static int one(const char *line)
{
	json_t *in = json_loads(line, 0, NULL);
	if (in == NULL)
		return -1;
	json_t *items = json_object_get(in, "items"), *tj = json_object_get(in, "targets");
	size_t nt = json_array_size(tj);
	recam_match_target *t = calloc(nt ? nt : 1, sizeof(*t));
	const char **al = calloc(nt ? nt * 8 : 1, sizeof(*al));
	int rc = t && al ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < nt; i++) {
		json_t *o = json_array_get(tj, i), *a = json_object_get(o, "aliases");
		t[i].name = json_string_value(json_object_get(o, "name"));
		t[i].aliases = al + i * 8;
		for (size_t k = 0; k < json_array_size(a) && k < 8; k++)
			al[i * 8 + t[i].naliases++] = json_string_value(json_array_get(a, k));
	}
	recam_match_hit *h = NULL;
	size_t nh = 0;
	if (rc == 0 && json_is_array(items) && recam_match_items(items, t, nt, &h, &nh) != 0)
		rc = -1;
	if (rc == 0) {
		json_t *out = json_object(), *hits = json_array();
		for (size_t i = 0; i < nh; i++)
			json_array_append_new(hits, json_pack("[i,i,f]", h[i].item, h[i].target, h[i].similarity));
		json_object_set_new(out, "hits", hits);
		char *s = json_dumps(out, JSON_COMPACT);
		puts(s ? s : "{}");
		free(s);
		json_decref(out);
	}
	free(h);
	free(al);
	free(t);
	json_decref(in);
	return rc;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	int bad = 0;
	while (getline(&line, &cap, stdin) > 0)
		if (one(line) != 0) {
			puts("{\"hits\":[]}");
			bad++;
		}
	free(line);
	return bad ? 1 : 0;
}
