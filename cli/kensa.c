/*
 * kensa - the command-line front end: `kensa scan`, `kensa policy check`,
 * `kensa quarantine`, `kensa ledger`.
 * Runs the same engine (parser/, policy/) as kensa-milter's workers.
 */
#include <stdio.h>
#include <string.h>

#include "explain_cmd.h"
#include "ledger_cmd.h"
#include "quarantine_cmd.h"
#include "replay_cmd.h"
#include "scan_cmd.h"

static int usage(FILE *out)
{
	fprintf(out,
		"usage: kensa scan [--config FILE] [--policy FILE] [--ledger "
		"PATH|URL] [--json] PATH...\n"
		"       kensa policy check FILE\n"
		"       kensa policy explain [--policy FILE] [--config FILE] "
		"MESSAGE...\n"
		"       kensa replay --policy NEW [--baseline OLD] [--config "
		"FILE] [--json] PATH...\n"
		"       kensa quarantine [--config FILE] [--dir PATH] "
		"list|show|release|delete|purge ...\n"
		"       kensa ledger [--config FILE] [--ledger PATH|URL] "
		"record|show|stats|expire ...\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "scan") == 0)
		return scan_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "replay") == 0)
		return replay_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "quarantine") == 0)
		return quarantine_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "ledger") == 0)
		return ledger_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0 && argc >= 3 &&
	    strcmp(argv[2], "explain") == 0)
		return explain_cmd(argc - 2, argv + 2);
	if (strcmp(argv[1], "policy") == 0 && argc == 4 &&
	    strcmp(argv[2], "check") == 0)
		return policy_check_cmd(argv[3]);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	return usage(stderr);
}
