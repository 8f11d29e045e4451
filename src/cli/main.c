/* main.c — the recam binary: dispatches to one subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "receipt/reader.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct subcommand subcommands[] = {
	{"serve", cli_serve, "serve                         run the HTTP server (and background workers)"},
	{"config", cli_config, "config [--markdown|--sample]  print the effective configuration (secrets redacted), docs or a sample"},
	{"migrate", cli_migrate, "migrate                       apply database migrations to control and tenant DBs"},
	{"tenant", cli_tenant, "tenant create|list|show       manage tenants (see 'recam tenant help')"},
	{"campaign", cli_campaign, "campaign import|export|list   campaigns as JSON documents"},
	{"draw", cli_draw, "draw commit|run|verify        the closed draw, verifiable from its published files"},
	{"demo", cli_demo, "demo                          create the demo tenant if it does not exist"},
	{"user", cli_user, "user add|list                 staff accounts of a tenant (see 'recam user help')"},
	{"audit", cli_audit, "audit verify TENANT           check a tenant's hash-chained audit log"},
	{"read", cli_read, "read IMAGE...                 read receipts and print one JSON line per image"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: recam [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %s\n", subcommands[i].usage);
	fprintf(out, "\nSettings come from --config FILE (or RECAM_CONFIG) and RECAM_* variables;\n"
		     "'recam config' prints them.\n");
}

/* Tesseract is built with OpenMP, and libgomp reads OMP_THREAD_LIMIT once,
 * when it is loaded, before main: set later it does nothing. Without it
 * recognition took 1.75 s instead of 0.37 s on the same image (2 cores), so
 * recam re-executes itself once with the variable set, for every command. */
static void ensure_single_thread_omp(char **argv)
{
	const char *v = getenv("OMP_THREAD_LIMIT");
	if ((v && strcmp(v, "1") == 0) || setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* exec failed: carry on, slower */
}

int main(int argc, char **argv)
{
	/* a reader worker started by the pool (reader_pool.c), never by hand */
	if (argc == 2 && strcmp(argv[1], RECAM_READER_WORKER_CMD) == 0)
		recam_reader_worker_run();
	ensure_single_thread_omp(argv);
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	/* "recam --config FILE serve": move the option after the command. */
	if (strcmp(argv[1], "--config") == 0 && argc >= 4) {
		char *path = argv[2];
		for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			if (strcmp(argv[3], subcommands[i].name) == 0) {
				argv[1] = argv[3];
				argv[2] = "--config";
				argv[3] = path;
				return subcommands[i].run(argc - 1, argv + 1);
			}
	}
	fprintf(stderr, "recam: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
