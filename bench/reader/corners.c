/* corners — the paper finder (src/receipt/paper.c) on each image named on
 * the command line, for bench/reader/corners.py: one JSON object per line,
 *   {"file": ..., "found": bool, "used": bool, "quad": [[x, y] × 4]}
 * in the pixels of the decoded image (EXIF orientation applied), "used"
 * when the perspective map takes those corners (else the crop is the
 * region's rectangle, turned). */
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>

#include "core/fsutil.h"
#include "receipt/image.h"
#include "receipt/paper.h"

int main(int argc, char **argv)
{
	recam_image_limits lim;
	recam_image_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		recam_buf buf;
		recam_buf_init(&buf, lim.max_bytes);
		struct Pix *g = NULL;
		int orientation = 0;
		recam_paper p = {0};
		bool ok = recam_fs_read(argv[i], &buf) == 0 &&
			  recam_image_decode((const unsigned char *)buf.data, buf.len, &lim, &g, &orientation) == 0 &&
			  recam_paper_find(g, &p) == 0;
		recam_buf_free(&buf);
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
