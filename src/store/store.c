/* store.c — data_dir layout, connection pools, migrations at open. */
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "core/str.h"
#include "store/db_sqlite.h"
#include "store/migrate.h"

struct recam_db_pool {
	struct recam_db_pool *next;
	recam_store *store;
	char key[RECAM_ID_LEN + 1]; /* tenant id, or "" for the control database */
	char path[RECAM_PATH_MAX + 64];
	pthread_mutex_t mu;
	recam_db *free;
	int nfree;
	bool migrated;
};

struct recam_store {
	char data_dir[RECAM_PATH_MAX];
	int busy_timeout_ms;
	int pool_size;
	pthread_mutex_t mu; /* guards the pool list */
	struct recam_db_pool *pools;
	struct recam_db_pool *control;
};

static bool valid_tenant_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > RECAM_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'z')))
			return false;
	return true;
}

int recam_store_tenant_dir(const recam_store *s, const char *tenant_id, char *out, size_t n)
{
	if (!valid_tenant_id(tenant_id))
		return RECAM_EINVAL;
	int w = snprintf(out, n, "%s/tenants/%s", s->data_dir, tenant_id);
	return (w < 0 || (size_t)w >= n) ? RECAM_ETOOBIG : 0;
}

static struct recam_db_pool *pool_new(recam_store *s, const char *key, const char *path)
{
	struct recam_db_pool *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->store = s;
	recam_strlcpy(p->key, key, sizeof(p->key));
	recam_strlcpy(p->path, path, sizeof(p->path));
	pthread_mutex_init(&p->mu, NULL);
	return p;
}

static void pool_free(struct recam_db_pool *p)
{
	while (p->free) {
		recam_db *db = p->free;
		p->free = db->next_free;
		db->ops->close(db);
	}
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* Takes a free connection or opens one; the first connection of a pool
 * migrates its database (the pool's mutex makes that happen once). */
static int pool_acquire(struct recam_db_pool *p, const char *scope, bool create, recam_db **out)
{
	pthread_mutex_lock(&p->mu);
	recam_db *db = p->free;
	if (db) {
		p->free = db->next_free;
		p->nfree--;
		pthread_mutex_unlock(&p->mu);
		db->next_free = NULL;
		*out = db;
		return 0;
	}
	int rc = recam_sqlite_open(p->path, create, p->store->busy_timeout_ms, &db);
	if (rc == 0 && !p->migrated) {
		if ((rc = recam_migrate(db, scope, NULL)) == 0)
			p->migrated = true;
		else
			db->ops->close(db);
	}
	pthread_mutex_unlock(&p->mu);
	if (rc != 0)
		return rc;
	db->pool = p;
	*out = db;
	return 0;
}

void recam_db_release(recam_db *db)
{
	if (db == NULL)
		return;
	struct recam_db_pool *p = db->pool;
	/* A connection goes back clean, whatever its user left open. */
	db->ops->rollback(db);
	pthread_mutex_lock(&p->mu);
	if (p->nfree < p->store->pool_size) {
		db->next_free = p->free;
		p->free = db;
		p->nfree++;
		db = NULL;
	}
	pthread_mutex_unlock(&p->mu);
	if (db)
		db->ops->close(db);
}

int recam_store_open(const recam_config *cfg, recam_store **out)
{
	recam_store *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return RECAM_ENOMEM;
	recam_strlcpy(s->data_dir, cfg->data_dir, sizeof(s->data_dir));
	s->busy_timeout_ms = (int)cfg->db_busy_timeout_ms;
	s->pool_size = (int)cfg->db_pool_size;
	pthread_mutex_init(&s->mu, NULL);
	char path[RECAM_PATH_MAX + 64];
	int rc = recam_fs_mkdirs(s->data_dir, 0700);
	if (rc == 0)
		rc = recam_fs_join(path, sizeof(path), s->data_dir, "tenants");
	if (rc == 0)
		rc = recam_fs_mkdirs(path, 0700);
	if (rc == 0)
		rc = recam_fs_join(path, sizeof(path), s->data_dir, "control.db");
	if (rc != 0) {
		recam_error("cannot prepare data_dir %s", s->data_dir);
		goto fail;
	}
	if ((s->control = pool_new(s, "", path)) == NULL) {
		rc = RECAM_ENOMEM;
		goto fail;
	}
	recam_db *db;
	if ((rc = pool_acquire(s->control, "control", true, &db)) != 0)
		goto fail;
	recam_db_release(db);
	*out = s;
	return 0;
fail:
	recam_store_close(s);
	return rc;
}

void recam_store_close(recam_store *s)
{
	if (s == NULL)
		return;
	while (s->pools) {
		struct recam_db_pool *p = s->pools;
		s->pools = p->next;
		pool_free(p);
	}
	if (s->control)
		pool_free(s->control);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int recam_store_control(recam_store *s, recam_db **out) { return pool_acquire(s->control, "control", false, out); }

static int tenant_pool(recam_store *s, const char *tenant_id, struct recam_db_pool **out)
{
	char dir[RECAM_PATH_MAX + 64], path[RECAM_PATH_MAX + 64];
	int rc = recam_store_tenant_dir(s, tenant_id, dir, sizeof(dir));
	if (rc != 0)
		return rc == RECAM_EINVAL ? RECAM_ENOTFOUND : rc;
	pthread_mutex_lock(&s->mu);
	struct recam_db_pool *p = s->pools;
	while (p && strcmp(p->key, tenant_id) != 0)
		p = p->next;
	if (p == NULL) {
		rc = recam_fs_join(path, sizeof(path), dir, "tenant.db");
		if (rc == 0 && (p = pool_new(s, tenant_id, path)) == NULL)
			rc = RECAM_ENOMEM;
		if (p) {
			p->next = s->pools;
			s->pools = p;
		}
	}
	pthread_mutex_unlock(&s->mu);
	*out = p;
	return rc;
}

int recam_store_tenant(recam_store *s, const char *tenant_id, recam_db **out)
{
	struct recam_db_pool *p;
	int rc = tenant_pool(s, tenant_id, &p);
	if (rc != 0)
		return rc;
	/* A pool that migrated has seen its database: no file-system check per
	 * request. An erased tenant's pool goes with its database. */
	if (!p->migrated && access(p->path, F_OK) != 0)
		return RECAM_ENOTFOUND;
	return pool_acquire(p, "tenant", false, out);
}

int recam_store_tenant_create(recam_store *s, const char *tenant_id)
{
	char dir[RECAM_PATH_MAX + 64];
	int rc = recam_store_tenant_dir(s, tenant_id, dir, sizeof(dir));
	if (rc == 0)
		rc = recam_fs_mkdirs(dir, 0700);
	struct recam_db_pool *p;
	if (rc == 0)
		rc = tenant_pool(s, tenant_id, &p);
	recam_db *db;
	if (rc == 0 && (rc = pool_acquire(p, "tenant", true, &db)) == 0)
		recam_db_release(db);
	return rc;
}

static int tenant_ids(recam_store *s, recam_db_ids *l)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	rc = recam_db_query(db, "SELECT id FROM tenants WHERE status <> 'erased' ORDER BY created_at", RECAM_DB_NOARGS,
			    recam_db_collect_id, l);
	recam_db_release(db);
	return rc < 0 ? rc : 0;
}

int recam_store_migrate_all(recam_store *s, int *applied)
{
	*applied = 0;
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0)
		return rc;
	int n = 0;
	rc = recam_migrate(db, "control", &n);
	recam_db_release(db);
	*applied += n;
	recam_db_ids l = {0};
	if (rc == 0)
		rc = tenant_ids(s, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		if ((rc = recam_store_tenant(s, l.ids[i], &db)) != 0) {
			recam_error("tenant %s: database missing", l.ids[i]);
			break;
		}
		rc = recam_migrate(db, "tenant", &n);
		recam_db_release(db);
		*applied += n;
	}
	free(l.ids);
	return rc;
}

static int check_version(recam_db *db, const char *scope, const char *name, char *why, size_t whylen)
{
	int v = 0;
	int rc = recam_migrate_current(db, &v);
	if (rc != 0) {
		snprintf(why, whylen, "%s database unreachable", name);
		return rc;
	}
	if (v != recam_migrate_latest(scope)) {
		snprintf(why, whylen, "%s database at version %d, expected %d", name, v, recam_migrate_latest(scope));
		return RECAM_EBUSY;
	}
	return 0;
}

int recam_store_check(recam_store *s, char *why, size_t whylen)
{
	recam_db *db;
	int rc = recam_store_control(s, &db);
	if (rc != 0) {
		snprintf(why, whylen, "control database unreachable");
		return rc;
	}
	rc = check_version(db, "control", "control", why, whylen);
	recam_db_release(db);
	recam_db_ids l = {0};
	if (rc == 0)
		rc = tenant_ids(s, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "tenant %s", l.ids[i]);
		/* The file itself, not only the pool's open connections: a database
		 * moved or deleted underneath a running server must show here. */
		char path[RECAM_PATH_MAX + 64];
		if ((rc = recam_store_tenant_dir(s, l.ids[i], path, sizeof(path))) == 0 &&
		    strlen(path) + sizeof("/tenant.db") <= sizeof(path))
			memcpy(path + strlen(path), "/tenant.db", sizeof("/tenant.db"));
		if (rc != 0 || access(path, F_OK) != 0 || (rc = recam_store_tenant(s, l.ids[i], &db)) != 0) {
			snprintf(why, whylen, "%s database unreachable", name);
			rc = rc ? rc : RECAM_ENOTFOUND;
			break;
		}
		rc = check_version(db, "tenant", name, why, whylen);
		recam_db_release(db);
	}
	free(l.ids);
	return rc;
}
