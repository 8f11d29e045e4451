/* fsutil.h — durable file operations: mkdir -p, atomic write (temporary file,
 * fsync, rename, directory fsync), reading a file with a size cap. */
#ifndef RECAM_FSUTIL_H
#define RECAM_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

int recam_fs_mkdirs(const char *path, mode_t mode);
int recam_fs_fsync_dir(const char *dir);
/* Writes data to path atomically with the given mode. */
int recam_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* Reads a whole file into out (cap is out->max). RECAM_ENOTFOUND if absent. */
int recam_fs_read(const char *path, recam_buf *out);
/* Joins a and b with one '/': RECAM_ETOOBIG if it does not fit. */
int recam_fs_join(char *out, size_t n, const char *a, const char *b);

#endif
