/* fsutil.c — durable file operations. */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "str.h"

int recam_fs_mkdirs(const char *path, mode_t mode)
{
	char tmp[4096];
	if (recam_strlcpy(tmp, path, sizeof(tmp)) != 0)
		return RECAM_ETOOBIG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) != 0 && errno != EEXIST)
			return RECAM_EIO;
		*p = '/';
	}
	if (mkdir(tmp, mode) != 0 && errno != EEXIST)
		return RECAM_EIO;
	return 0;
}

int recam_fs_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return RECAM_EIO;
	int rc = fsync(fd) == 0 ? 0 : RECAM_EIO;
	close(fd);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return RECAM_EIO;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int recam_fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4096], dir[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return RECAM_ETOOBIG;
	if (recam_strlcpy(dir, path, sizeof(dir)) != 0)
		return RECAM_ETOOBIG;
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		recam_strlcpy(dir, ".", sizeof(dir));
	else
		slash[slash == dir ? 1 : 0] = '\0';

	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return RECAM_EIO;
	int rc = write_all(fd, data, len);
	if (rc == 0 && fsync(fd) != 0)
		rc = RECAM_EIO;
	if (close(fd) != 0 && rc == 0)
		rc = RECAM_EIO;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = RECAM_EIO;
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	return recam_fs_fsync_dir(dir);
}

int recam_fs_read(const char *path, recam_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? RECAM_ENOTFOUND : RECAM_EIO;
	char chunk[65536];
	int rc = 0;
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = RECAM_EIO;
			break;
		}
		if (r == 0)
			break;
		if ((rc = recam_buf_append(out, chunk, (size_t)r)) != 0)
			break;
	}
	close(fd);
	return rc;
}

int recam_fs_join(char *out, size_t n, const char *a, const char *b)
{
	size_t la = strlen(a);
	int w = (la > 0 && a[la - 1] == '/') ? snprintf(out, n, "%s%s", a, b) : snprintf(out, n, "%s/%s", a, b);
	return (w < 0 || (size_t)w >= n) ? RECAM_ETOOBIG : 0;
}
