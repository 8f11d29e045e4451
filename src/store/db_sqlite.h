/* db_sqlite.h — the SQLite backend of the store interface (db.h). */
#ifndef RECAM_DB_SQLITE_H
#define RECAM_DB_SQLITE_H

#include "store/db.h"

/* Opens (creating if asked) the database at path with recam's settings:
 * WAL, synchronous=FULL, foreign keys on, busy timeout. */
int recam_sqlite_open(const char *path, bool create, int busy_timeout_ms, recam_db **out);

#endif
