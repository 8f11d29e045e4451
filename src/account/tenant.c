/* tenant.c — tenant records and their keys. */
#include "tenant.h"

#include <pthread.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"

#define TENANT_COLUMNS "id, slug, name, status, coalesce(host, ''), created_at, wrapped_key"

/* Prefixes and words a slug must not take: they would read as platform
 * pages in a host name or confuse staff. */
static const char *const reserved_slugs[] = {"admin", "api", "ops", "static", "www", "recam", "metrics",
					     "healthz", "readyz", "login", "t", NULL};

bool recam_tenant_slug_valid(const char *slug)
{
	size_t n = strlen(slug);
	if (n < 2 || n > RECAM_SLUG_MAX || slug[0] == '-' || slug[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = slug[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	for (const char *const *r = reserved_slugs; *r; r++)
		if (strcmp(slug, *r) == 0)
			return false;
	return true;
}

bool recam_tenant_name_valid(const char *name)
{
	long chars = recam_utf8_text(name, strlen(name), false);
	return chars >= 1 && chars <= RECAM_TENANT_NAME_MAX;
}

static int read_tenant(void *ctx, const recam_dbrow *row)
{
	recam_tenant *t = ctx;
	memset(t, 0, sizeof(*t));
	int rc = recam_dbrow_copy_text(row, 0, t->id, sizeof(t->id));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 1, t->slug, sizeof(t->slug));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 2, t->name, sizeof(t->name));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 3, t->status, sizeof(t->status));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 4, t->host, sizeof(t->host));
	if (rc == 0)
		rc = recam_dbrow_copy_text(row, 5, t->created_at, sizeof(t->created_at));
	size_t n;
	const void *k = recam_dbrow_blob(row, 6, &n);
	if (rc == 0 && (k == NULL || n != sizeof(t->wrapped_key)))
		rc = RECAM_ECRYPTO;
	if (rc == 0)
		memcpy(t->wrapped_key, k, n);
	return rc;
}

static int tenant_by(recam_store *s, const char *sql, const char *arg, recam_tenant *out)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	rc = recam_db_query_one(db, sql, RECAM_DB_ARGS(DBV_TEXT(arg)), read_tenant, out);
	recam_db_release(db);
	return rc;
}

int recam_tenant_by_slug(recam_store *s, const char *slug, recam_tenant *out)
{
	return tenant_by(s, "SELECT " TENANT_COLUMNS " FROM tenants WHERE slug = ?", slug, out);
}

int recam_tenant_by_id(recam_store *s, const char *id, recam_tenant *out)
{
	return tenant_by(s, "SELECT " TENANT_COLUMNS " FROM tenants WHERE id = ?", id, out);
}

int recam_tenant_by_host(recam_store *s, const char *host, recam_tenant *out)
{
	return tenant_by(s, "SELECT " TENANT_COLUMNS " FROM tenants WHERE host = ?", host, out);
}

int recam_tenant_set_host(recam_store *s, const char *id, const char *host)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	char now[32];
	recam_clock_format_rfc3339(recam_clock_now(), now, sizeof(now));
	int64_t changed = 0;
	rc = recam_db_exec_changes(db, "UPDATE tenants SET host = ?, updated_at = ? WHERE id = ?",
				   RECAM_DB_ARGS(host && host[0] ? DBV_TEXT(host) : DBV_NULL, DBV_TEXT(now),
						 DBV_TEXT(id)),
				   &changed);
	recam_db_release(db);
	recam_tenant_cache_clear();
	return rc != 0 ? rc : changed == 1 ? 0 : RECAM_ENOTFOUND;
}

int recam_tenant_create(recam_store *s, const recam_key *master, const char *slug, const char *name,
			recam_tenant *out)
{
	if (!recam_tenant_slug_valid(slug) || !recam_tenant_name_valid(name))
		return RECAM_EINVAL;
	recam_tenant t;
	memset(&t, 0, sizeof(t));
	recam_random_id(t.id);
	recam_strlcpy(t.slug, slug, sizeof(t.slug));
	recam_strlcpy(t.name, name, sizeof(t.name));
	recam_strlcpy(t.status, "active", sizeof(t.status));
	recam_clock_format_rfc3339(recam_clock_now(), t.created_at, sizeof(t.created_at));
	recam_key k;
	recam_key_generate(&k);
	int rc = recam_key_wrap(master, t.id, &k, t.wrapped_key);
	recam_key_wipe(&k);
	if (rc != 0)
		return rc;
	/* The database first: a tenant row never points at a missing database. */
	if ((rc = recam_store_tenant_create(s, t.id)) != 0)
		return rc;
	recam_db *db;
	if ((rc = recam_store_control(s, &db)) != 0)
		return rc;
	rc = recam_db_exec(db,
			   "INSERT INTO tenants(id, slug, name, status, wrapped_key, created_at, updated_at)"
			   " VALUES (?, ?, ?, 'active', ?, ?, ?)",
			   RECAM_DB_ARGS(DBV_TEXT(t.id), DBV_TEXT(t.slug), DBV_TEXT(t.name),
					 DBV_BLOB(t.wrapped_key, sizeof(t.wrapped_key)), DBV_TEXT(t.created_at),
					 DBV_TEXT(t.created_at)));
	recam_db_release(db);
	if (rc != 0)
		return rc;
	recam_tenant_cache_clear();
	recam_info("tenant %s created (slug %s)", t.id, t.slug);
	if (out)
		*out = t;
	return 0;
}

struct list_ctx {
	int (*fn)(void *ctx, const recam_tenant *t);
	void *ctx;
};

static int list_row(void *vctx, const recam_dbrow *row)
{
	struct list_ctx *c = vctx;
	recam_tenant t;
	int rc = read_tenant(&t, row);
	return rc != 0 ? rc : c->fn(c->ctx, &t);
}

int recam_tenant_list(recam_store *s, int (*fn)(void *ctx, const recam_tenant *t), void *ctx)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	struct list_ctx c = {fn, ctx};
	rc = recam_db_query(db, "SELECT " TENANT_COLUMNS " FROM tenants ORDER BY created_at, slug", RECAM_DB_NOARGS,
			    list_row, &c);
	recam_db_release(db);
	return rc;
}

int recam_tenant_key(const recam_key *master, const recam_tenant *t, recam_key *out)
{
	return recam_key_unwrap(master, t->id, t->wrapped_key, sizeof(t->wrapped_key), out);
}

#define CACHE_SLOTS 128
#define CACHE_TTL_NS (2ull * 1000 * 1000 * 1000)

struct cache_slot {
	char key[300]; /* "slug:demo" or "host:receipts.example" */
	uint64_t at;   /* monotonic ns; 0 = empty */
	int rc;
	recam_tenant t;
};

static struct cache_slot cache[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

void recam_tenant_cache_clear(void)
{
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++)
		cache[i].at = 0;
	pthread_mutex_unlock(&cache_mu);
}

static unsigned cache_hash(const char *k)
{
	unsigned h = 2166136261u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h % CACHE_SLOTS;
}

int recam_tenant_lookup(recam_store *s, const char *by, const char *key, recam_tenant *out)
{
	char k[300];
	if ((size_t)snprintf(k, sizeof(k), "%s:%s", by, key) >= sizeof(k))
		return RECAM_ENOTFOUND;
	struct cache_slot *slot = &cache[cache_hash(k)];
	uint64_t now = recam_clock_mono_ns();
	pthread_mutex_lock(&cache_mu);
	if (slot->at && now - slot->at < CACHE_TTL_NS && strcmp(slot->key, k) == 0) {
		int rc = slot->rc;
		if (rc == 0)
			*out = slot->t;
		pthread_mutex_unlock(&cache_mu);
		return rc;
	}
	pthread_mutex_unlock(&cache_mu);
	int rc = strcmp(by, "host") == 0 ? recam_tenant_by_host(s, key, out) : recam_tenant_by_slug(s, key, out);
	/* Database errors are not remembered: the next request tries again. */
	if (rc == 0 || rc == RECAM_ENOTFOUND) {
		pthread_mutex_lock(&cache_mu);
		memcpy(slot->key, k, strlen(k) + 1);
		slot->at = now;
		slot->rc = rc;
		if (rc == 0)
			slot->t = *out;
		pthread_mutex_unlock(&cache_mu);
	}
	return rc;
}
