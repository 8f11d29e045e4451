/* paper.h — finds the receipt paper in a photo: the bright region that is
 * most like a filled rectangle, its centre, sides and angle (from image
 * moments, so large tilts are measured as easily as small ones). */
#ifndef RECAM_RECEIPT_PAPER_H
#define RECAM_RECEIPT_PAPER_H

#include <stdbool.h>

struct Pix;

typedef struct recam_paper {
	bool found;
	double cx, cy;		/* centre, pixels of the input image */
	double along, across;	/* long and short side */
	double angle_deg;	/* clockwise rotation that makes the long side vertical */
	double fill;		/* area / (along × across): 1 for a perfect rectangle */
	double area_frac;	/* share of the image */
	bool has_quad;		/* corners found: perspective can be corrected */
	double quad[4][2];	/* corners top-left, top-right, bottom-right, bottom-left of the upright paper */
	double quad_fit;	/* the quadrilateral's area over the region's, or its inverse: 1 when the corners hold it */
} recam_paper;

/* g: 8 bpp. 0, or RECAM_ENOMEM. p->found false when nothing paper-like. */
int recam_paper_find(struct Pix *g, recam_paper *p);
/* Whether recam_paper_extract with perspective maps p's corners (they
 * were found and make a plausible quadrilateral) rather than cropping. */
bool recam_paper_corners_used(const recam_paper *p);
/* The paper rotated upright and cropped (with a small margin) or, with
 * perspective and plausible corners, its quadrilateral mapped onto an
 * upright rectangle (keystone corrected); NULL on OOM. */
struct Pix *recam_paper_extract(struct Pix *g, const recam_paper *p, bool perspective);

#endif
