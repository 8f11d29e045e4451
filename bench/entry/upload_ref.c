/* upload_ref.c — the reference for bench/entry: a minimal libmicrohttpd
 * server that takes a POSTed body, streams it to a file, fsyncs and renames
 * it, and answers 202 — what the network and the disk alone cost for an
 * upload, without parsing, encryption, database or judging.
 * usage: upload_ref PORT DIR */
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct up {
	int fd;
	char tmp[512];
};

static const char *dir;
static unsigned long counter;

static enum MHD_Result on_req(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *data, size_t *size, void **state)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	struct up *u = *state;
	if (u == NULL) {
		u = calloc(1, sizeof(*u));
		snprintf(u->tmp, sizeof(u->tmp), "%s/up-%lu.tmp", dir, __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
		u->fd = open(u->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		*state = u;
		return MHD_YES;
	}
	if (*size > 0) {
		if (write(u->fd, data, *size) != (ssize_t)*size)
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	fsync(u->fd);
	close(u->fd);
	char final[520];
	snprintf(final, sizeof(final), "%.*s.bin", (int)(strlen(u->tmp) - 4), u->tmp);
	rename(u->tmp, final);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fsync(dfd);
	close(dfd);
	static const char body[] = "{\"entry\":{\"status\":\"queued\"}}";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, 202, r);
	MHD_destroy_response(r);
	return rc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode t)
{
	(void)cls;
	(void)c;
	(void)t;
	free(*state);
	*state = NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	dir = argv[2];
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)strtol(argv[1], NULL, 10), NULL,
						NULL, on_req, NULL, MHD_OPTION_THREAD_POOL_SIZE, 2u,
						MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
	if (d == NULL)
		return 1;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int sig;
	sigwait(&s, &sig);
	MHD_stop_daemon(d);
	return 0;
}
