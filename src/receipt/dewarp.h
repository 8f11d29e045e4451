/* dewarp.h — rows of print bent across the page (a curled receipt), set
 * straight by moving each column of pixels up or down. */
#ifndef RECAM_RECEIPT_DEWARP_H
#define RECAM_RECEIPT_DEWARP_H

struct Pix;

/* g: 8 bpp page, upright, text lines about line_px high. Returns a new Pix
 * (a clone of g when the rows are straight, or nothing can be measured);
 * NULL on OOM. *bend_px: how far the columns were moved, the highest less
 * the lowest (0 when not). */
struct Pix *recam_dewarp(struct Pix *g, int line_px, int *bend_px);

#endif
