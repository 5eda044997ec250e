/*
 * common - what every kensa subcommand does alike: load kensa.yaml (the
 * named file, else the default one if it exists, else built-in defaults)
 * and a policy, reporting a failure on stderr as "kensa: file:line:col:
 * message". Both return -1 after reporting.
 */
#ifndef KENSA_CLI_COMMON_H
#define KENSA_CLI_COMMON_H

#include "../parser/scan.h"
#include "../policy/policy.h"
#include "../policy/settings.h"
#include "../store/ledger.h"

int cli_settings(struct settings *s, const char *config);
int cli_policy(const char *path, struct policy **out);

/* The engine as kensa-milter runs it: the scan, then the thread findings
 * by direction (thread_ledger_judge; env NULL is inbound) with ledger l
 * (may be NULL). An envelope whose direction is not known yet is
 * classified by s's rules. */
int cli_scan(struct span msg, const struct scan_options *opts,
	     const struct settings *s, struct ledger *l, struct envelope *env,
	     struct report *out);

/* The ledger for kensa scan: location (--ledger), or else the one in the
 * configuration if it exists. 0 and *out (maybe NULL), or -1. */
int cli_ledger(const struct settings *s, const char *location, int readonly,
	       struct ledger **out);

#endif
