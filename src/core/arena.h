/* arena.h — a per-request arena: many small allocations, freed in one go
 * when the request ends. Has a hard total so one request cannot eat the heap. */
#ifndef RECAM_ARENA_H
#define RECAM_ARENA_H

#include <stddef.h>

typedef struct recam_arena recam_arena;

recam_arena *recam_arena_new(size_t max_total);
/* NULL when out of memory or over the arena's total. Aligned for any type. */
void *recam_arena_alloc(recam_arena *a, size_t n);
char *recam_arena_strndup(recam_arena *a, const char *s, size_t n);
char *recam_arena_printf(recam_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t recam_arena_used(const recam_arena *a);
void recam_arena_free(recam_arena *a);

#endif
