/* migrate.h — versioned SQL migrations, embedded in the binary from
 * db/migrations/{control,tenant}/NNNN_name.sql (scripts/embed_migrations.sh).
 * Each database records what it has applied, with a checksum; an applied
 * migration whose text changed afterwards stops start-up. */
#ifndef RECAM_MIGRATE_H
#define RECAM_MIGRATE_H

#include "store/db.h"

struct recam_migration {
	const char *scope; /* "control" or "tenant" */
	int version;
	const char *name;
	const char *sql;
};

extern const struct recam_migration recam_migrations[];
extern const unsigned recam_migrations_count;

/* Applies the pending migrations of scope, each in its own transaction.
 * *applied (may be NULL) counts what was applied now. */
int recam_migrate(recam_db *db, const char *scope, int *applied);
/* The newest version embedded for scope. */
int recam_migrate_latest(const char *scope);
/* The newest version applied to db; an error when it was never migrated. */
int recam_migrate_current(recam_db *db, int *version);

#endif
