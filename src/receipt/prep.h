/* prep.h — pre-processing of a decoded grey photo before recognition. Each
 * step can be switched off so its effect can be measured (bench/reader and
 * docs/reader.md "Pre-processing"). */
#ifndef RECAM_RECEIPT_PREP_H
#define RECAM_RECEIPT_PREP_H

struct Pix;

enum recam_prep_step {
	RECAM_PREP_CROP = 1 << 0,	/* find the paper on the background, crop to it */
	RECAM_PREP_DESKEW = 1 << 1,	/* measure skew on an Otsu copy, rotate the grey image */
	RECAM_PREP_ORIENT = 1 << 2,	/* quarter turns: sideways receipts */
	RECAM_PREP_FLATTEN = 1 << 3,	/* background normalization: shadows, uneven light */
	RECAM_PREP_SCALE = 1 << 4,	/* text line height to RECAM_PREP_LINE_PX */
	RECAM_PREP_BINARIZE = 1 << 5,	/* our own binarization instead of Tesseract's Otsu */
	RECAM_PREP_CONTRAST = 1 << 6,	/* after crop: whiten the border, paper level to white */
	RECAM_PREP_LEADERS = 1 << 7,	/* after scale: paint over dotted leaders "....." */
	RECAM_PREP_REREAD = 1 << 8,	/* recognition: re-read doubtful lines one by one (reader.c) */
	RECAM_PREP_PERSPECTIVE = 1 << 9, /* with crop: map the paper's corners onto a rectangle */
	RECAM_PREP_SHADOW = 1 << 10,	/* flatten only a page where one threshold would black out rows */
	RECAM_PREP_DEWARP = 1 << 11,	/* after scale: rows bent across a curled page set straight (dewarp.c) */
};
#define RECAM_PREP_DEFAULT                                                                             \
	(RECAM_PREP_CROP | RECAM_PREP_PERSPECTIVE | RECAM_PREP_CONTRAST | RECAM_PREP_DESKEW | RECAM_PREP_SCALE | \
	 RECAM_PREP_LEADERS | RECAM_PREP_REREAD | RECAM_PREP_SHADOW | RECAM_PREP_DEWARP)
#define RECAM_PREP_LINE_PX 28

typedef struct recam_prep_info {
	int crop_x, crop_y, crop_w, crop_h; /* in the decoded image; w 0 when not cropped */
	float paper_deg;	/* rotation from the paper's outline */
	float skew_deg;		/* further rotation from the text lines */
	int quarter_turns;
	float scale;
	int line_px; /* measured text line height before scaling */
	int leaders; /* blobs of dotted leaders painted over */
	int flattened; /* 1 when the background was normalized */
	int bend_px; /* how far dewarp moved columns, highest less lowest (0: not) */
} recam_prep_info;

/* Parses "crop,deskew,scale" / "default" / "none" into steps; -1 if invalid. */
int recam_prep_parse_steps(const char *s);

/* grey: 8 bpp. *out is a new Pix (caller destroys). 0 or RECAM_ENOMEM. */
int recam_prep_run(struct Pix *grey, unsigned steps, struct Pix **out, recam_prep_info *info);

/* Otsu threshold over histogram bins [lo, hi) (shared with paper.c). */
int recam_prep_otsu_range(const double *hist, int lo, int hi);
/* Otsu threshold of an 8 bpp image, sampled every `factor` pixels. */
int recam_prep_otsu(struct Pix *g, int factor);

#endif
