/* corners — the paper finder (src/receipt/paper.c) on each image named on
 * the command line, for bench/reader/corners.py: one JSON object per line,
 *   {"file": ..., "found": bool, "used": bool, "quad": [[x, y] × 4]}
 * in the pixels of the decoded image (EXIF orientation applied), "used"
 * when the perspective map takes those corners (else the crop is the
 * region's rectangle, turned). */
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>

#include "receipt/image.h"
#include "receipt/paper.h"

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 20, len = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			unsigned char *b = realloc(buf, cap *= 2);
			if (b == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
	}
	fclose(f);
	*n = len;
	return buf;
}

int main(int argc, char **argv)
{
	recam_image_limits lim;
	recam_image_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		size_t n = 0;
		unsigned char *buf = slurp(argv[i], &n);
		struct Pix *g = NULL;
		int orientation = 0;
		recam_paper p = {0};
		bool ok = buf && recam_image_decode(buf, n, &lim, &g, &orientation) == 0 && recam_paper_find(g, &p) == 0;
		free(buf);
		pixDestroy(&g);
		json_t *o = json_object(), *q = json_array();
		for (int k = 0; ok && k < 4; k++)
			json_array_append_new(q, json_pack("[f,f]", p.quad[k][0], p.quad[k][1]));
		json_object_set_new(o, "file", json_string(argv[i]));
		json_object_set_new(o, "found", json_boolean(ok && p.found));
		json_object_set_new(o, "used", json_boolean(ok && recam_paper_corners_used(&p)));
		json_object_set_new(o, "quad", q);
		char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
		if (s)
			puts(s);
		fflush(stdout); /* whole lines when several run at once */
		free(s);
		json_decref(o);
	}
	return 0;
}
