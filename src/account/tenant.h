/* tenant.h — tenants (brands, retailers, malls) in the control database:
 * id, URL slug, display name, status, optional host, wrapped data key. */
#ifndef RECAM_TENANT_H
#define RECAM_TENANT_H

#include <stdint.h>

#include "core/crypto.h"
#include "core/str.h"
#include "store/store.h"

#define RECAM_SLUG_MAX 48
#define RECAM_TENANT_NAME_MAX 200

typedef struct recam_tenant {
	char id[RECAM_ID_LEN + 1];
	char slug[RECAM_SLUG_MAX + 1];
	char name[RECAM_TENANT_NAME_MAX * 4 + 1]; /* UTF-8 */
	char status[16];
	char host[256];
	char created_at[32];
	unsigned char wrapped_key[RECAM_WRAPPED_KEY_BYTES];
} recam_tenant;

/* 2..48 of a-z, 0-9 and '-', starting with a letter or digit; not reserved. */
bool recam_tenant_slug_valid(const char *slug);
/* 1..200 characters of valid UTF-8 without control characters. */
bool recam_tenant_name_valid(const char *name);

/* Creates the tenant, its data key and its database. RECAM_ECONFLICT when
 * the slug is taken, RECAM_EINVAL when slug or name is invalid. */
int recam_tenant_create(recam_store *s, const recam_key *master, const char *slug, const char *name,
			recam_tenant *out);
int recam_tenant_by_slug(recam_store *s, const char *slug, recam_tenant *out);
int recam_tenant_by_id(recam_store *s, const char *id, recam_tenant *out);
int recam_tenant_by_host(recam_store *s, const char *host, recam_tenant *out);
int recam_tenant_set_host(recam_store *s, const char *id, const char *host);
/* The same lookups through a small in-process cache (entries live 2 s, not
 * found is cached too) — the gate resolves a tenant on every request.
 * Changes made by this process clear it; other processes' changes show
 * within the 2 s. by is "slug" or "host". */
int recam_tenant_lookup(recam_store *s, const char *by, const char *key, recam_tenant *out);
void recam_tenant_cache_clear(void);
/* Calls fn for each tenant in creation order; stops when fn returns non-zero. */
int recam_tenant_list(recam_store *s, int (*fn)(void *ctx, const recam_tenant *t), void *ctx);
/* Unwraps the tenant's data key with the master key. */
int recam_tenant_key(const recam_key *master, const recam_tenant *t, recam_key *out);
static inline bool recam_tenant_active(const recam_tenant *t) { return t->status[0] == 'a'; }

#endif
