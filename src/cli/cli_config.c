/* cli_config.c — recam config: the effective settings, secrets redacted. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_config(int argc, char **argv)
{
	const char *path = cli_take_config_arg(&argc, argv);
	if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
		recam_config_print_markdown(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--sample") == 0) {
		recam_config_print_sample(stdout);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: recam config [--config FILE] [--markdown|--sample]\n");
		return 2;
	}
	recam_config cfg;
	if (cli_load_config(&cfg, path) != 0)
		return 1;
	printf("# Effective configuration (defaults, %s, RECAM_* environment); secrets redacted.\n",
	       path ? path : "no config file");
	recam_config_print(&cfg, stdout);
	return 0;
}
