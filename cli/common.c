#include "common.h"

#include <stdio.h>
#include <stdlib.h>

static int report(char *error)
{
	fprintf(stderr, "kensa: %s\n", error ? error : "out of memory");
	free(error);
	return -1;
}

int cli_settings(struct settings *s, const char *config)
{
	char *error = NULL;

	settings_defaults(s);
	if (settings_load_default(s, config, &error) < 0) {
		settings_free(s);
		return report(error);
	}
	return 0;
}

int cli_policy(const char *path, struct policy **out)
{
	char *error = NULL;

	return policy_load(path, out, &error) < 0 ? report(error) : 0;
}
