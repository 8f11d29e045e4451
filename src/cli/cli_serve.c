/* cli_serve.c — recam serve: the HTTP server and background workers until
 * SIGTERM or SIGINT, then a graceful stop. */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/tenant.h"
#include "api/api.h"
#include "cli/cli.h"
#include "core/log.h"
#include "http/server.h"
#include "campaign/entry.h"
#include "campaign/reader_test.h"
#include "receipt/reader.h"
#include "store/jobs.h"

struct url_ctx {
	const char *base;
	const char *slug;
	recam_store *store;
};

static int print_campaign_url(void *ctx, const recam_dbrow *row)
{
	struct url_ctx *c = ctx;
	size_t n;
	printf("    %s/t/%s/c/%s   %s\n", c->base, c->slug, recam_dbrow_text(row, 0, &n), recam_dbrow_text(row, 1, &n));
	return 0;
}

static int print_tenant_url(void *ctx, const recam_tenant *t)
{
	struct url_ctx *c = ctx;
	if (!recam_tenant_active(t))
		return 0;
	printf("  %s/t/%s/   %s\n", c->base, t->slug, t->name);
	printf("    %s/t/%s/admin/   管理画面 (admin console)\n", c->base, t->slug);
	recam_db *db;
	c->slug = t->slug;
	if (recam_store_tenant(c->store, t->id, &db) == 0) {
		recam_db_query(db, "SELECT slug, title FROM campaigns WHERE status = 'published' ORDER BY created_at LIMIT 5",
			       RECAM_DB_NOARGS, print_campaign_url, c);
		recam_db_release(db);
	}
	return 0;
}

static void print_urls(recam_server *srv)
{
	char base[200];
	const char *host = srv->cfg->listen_host;
	if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0 || strcmp(host, "::") == 0)
		host = "127.0.0.1";
	snprintf(base, sizeof(base), "%s://%s%s%s:%d", srv->tls ? "https" : "http", strchr(host, ':') ? "[" : "", host,
		 strchr(host, ':') ? "]" : "", recam_server_port(srv));
	printf("recam: listening on %s/\n", base);
	printf("  %s/healthz   %s/readyz   %s/metrics\n", base, base, base);
	struct url_ctx c = {base, NULL, srv->store};
	recam_tenant_list(srv->store, print_tenant_url, &c);
	fflush(stdout);
}

static int requeue_tenant(void *ctx, const recam_tenant *t)
{
	int n = 0;
	if (recam_tenant_active(t) && recam_entry_requeue(ctx, t->id, &n) == 0 && n > 0)
		recam_info("tenant %s: %d unjudged entries queued again", t->slug, n);
	return 0;
}

int cli_serve(int argc, char **argv)
{
	struct cli_env env;
	if (cli_open(&argc, argv, &env) != 0)
		return 1;
	if (argc != 1) {
		fprintf(stderr, "usage: recam serve [--config FILE]\n");
		cli_close(&env);
		return 2;
	}
	int status = 1;
	recam_server srv = {.cfg = &env.cfg, .store = env.store, .master = env.master, .routes = recam_routes,
			    .nroutes = recam_nroutes};
	recam_workers *workers = NULL;
	recam_reader_pool *readers = NULL;
	int applied = 0;
	if (recam_store_migrate_all(env.store, &applied) != 0) {
		fprintf(stderr, "recam: migrations failed (see the log above)\n");
		goto done;
	}
	if (realpath(env.cfg.web_dir, srv.web_root) == NULL) {
		fprintf(stderr, "recam: web_dir: %s is not a directory\n", env.cfg.web_dir);
		goto done;
	}
	char logdir[RECAM_PATH_MAX + 16];
	recam_config_path(&env.cfg, "logs", logdir, sizeof(logdir));
	if (recam_accesslog_open(logdir, (int)env.cfg.access_log_retention_days, &srv.access) != 0) {
		fprintf(stderr, "recam: cannot open the access log in %s\n", logdir);
		goto done;
	}
	if ((srv.metrics = recam_metrics_new(recam_routes, recam_nroutes)) == NULL)
		goto done;

	/* Signals are taken by this thread alone, with sigwait; every thread
	 * started from here on inherits the mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Reader processes are forked before any thread exists. */
	if (env.cfg.reader_workers > 0) {
		recam_reader_limits lim;
		recam_reader_limits_default(&lim);
		lim.timeout_ms = (int)env.cfg.reader_timeout * 1000;
		lim.max_mem_mb = (size_t)(env.cfg.reader_memory / (1024 * 1024));
		if (recam_reader_pool_new((int)env.cfg.reader_workers, &lim, &readers) != 0) {
			fprintf(stderr, "recam: cannot start the receipt readers\n");
			goto done;
		}
	}
	if (readers && recam_entry_jobs_init(&srv.master, readers) != 0)
		goto done;
	if (readers && recam_reader_test_jobs_init(&srv.master, readers) != 0)
		goto done;
	recam_tenant_list(env.store, requeue_tenant, env.store);
	srv.workers_expected = (int)env.cfg.workers;
	if (recam_workers_start(env.store, srv.workers_expected, &srv.workers_running, &workers) != 0)
		goto done;
	if (recam_server_start(&srv) != 0)
		goto done;
	print_urls(&srv);
	recam_info("serving with %lld threads, %d workers", (long long)env.cfg.threads, srv.workers_expected);

	int sig = 0;
	sigwait(&sigs, &sig);
	recam_info("signal %d: stopping (grace %llds)", sig, (long long)env.cfg.shutdown_grace);
	recam_server_shutdown(&srv, env.cfg.shutdown_grace);
	status = 0;
done:
	recam_workers_stop(workers);
	recam_server_shutdown(&srv, 0);
	recam_reader_pool_free(readers);
	recam_metrics_free(srv.metrics);
	recam_accesslog_close(srv.access);
	recam_key_wipe(&srv.master);
	cli_close(&env);
	if (status == 0)
		recam_info("stopped");
	return status;
}
