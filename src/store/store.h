/* store.h — where recam keeps its data: the control database (tenants,
 * operators, platform settings, jobs) and one database per tenant, each
 * behind a small connection pool; plus the on-disk layout under data_dir.
 * Services ask for a connection, use it on one thread, and release it. */
#ifndef RECAM_STORE_H
#define RECAM_STORE_H

#include "core/config.h"
#include "store/db.h"

typedef struct recam_store recam_store;

/* Creates data_dir if needed, opens and migrates the control database. */
int recam_store_open(const recam_config *cfg, recam_store **out);
void recam_store_close(recam_store *s);

int recam_store_control(recam_store *s, recam_db **out);
/* A tenant's database, migrated on first use in this process. RECAM_ENOTFOUND
 * when the tenant has no database (never created, or erased). */
int recam_store_tenant(recam_store *s, const char *tenant_id, recam_db **out);
void recam_db_release(recam_db *db);

/* Creates the tenant's directory and database and migrates it. */
int recam_store_tenant_create(recam_store *s, const char *tenant_id);
/* Migrates the control database and every tenant database; counts applied. */
int recam_store_migrate_all(recam_store *s, int *applied);
/* Directory of a tenant's files (database, blobs): data_dir/tenants/{id}. */
int recam_store_tenant_dir(const recam_store *s, const char *tenant_id, char *out, size_t n);
/* Ready: databases reachable and at the newest migration. */
int recam_store_check(recam_store *s, char *why, size_t whylen);

#endif
