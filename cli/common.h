/*
 * common - what every kensa subcommand does alike: load kensa.yaml (the
 * named file, else the default one if it exists, else built-in defaults)
 * and a policy, reporting a failure on stderr as "kensa: file:line:col:
 * message". Both return -1 after reporting.
 */
#ifndef KENSA_CLI_COMMON_H
#define KENSA_CLI_COMMON_H

#include "../policy/policy.h"
#include "../policy/settings.h"

int cli_settings(struct settings *s, const char *config);
int cli_policy(const char *path, struct policy **out);

#endif
