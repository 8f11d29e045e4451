/* hello.c — the reference for bench/http: the smallest libmicrohttpd server
 * with recam's threading model (epoll internal thread, a pool of 2), answering
 * a small JSON body. It measures what libmicrohttpd itself costs on this
 * machine, so recam's figures can be read as a fraction of it.
 *
 * Usage: hello PORT   (listens on 127.0.0.1 only; stops on SIGINT/SIGTERM) */
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char BODY[] = "{\"status\":\"ok\",\"server\":\"hello\"}";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	static int first_call_marker;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/* Answer on the second call: queuing a response on the first makes
	 * libmicrohttpd 0.9.75 close keep-alive connections (DESIGN pitfall 1),
	 * and recam answers on the second call too. */
	if (*con_cls == NULL) {
		*con_cls = &first_call_marker;
		return MHD_YES;
	}
	*upload_data_size = 0;
	struct MHD_Response *r =
		MHD_create_response_from_buffer(sizeof(BODY) - 1, (void *)BODY, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long port = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || end == argv[1] || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* MHD's threads inherit the mask */

	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (unsigned short)port,
						NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
						MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "hello: cannot listen on 127.0.0.1:%ld\n", port);
		return 1;
	}
	printf("hello: listening on http://127.0.0.1:%ld/\n", port);
	fflush(stdout);
	int sig = 0;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	return 0;
}
