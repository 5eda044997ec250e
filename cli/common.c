#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../policy/direction.h"
#include "../store/ledger_settings.h"
#include "../store/thread_ledger.h"

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

int cli_scan(struct span msg, const struct scan_options *opts,
	     const struct settings *s, struct ledger *l, struct envelope *env,
	     struct report *out)
{
	const char *ledger_error = NULL;

	if (scan_message(msg, opts, out) < 0)
		return -1;
	if (env && env->outbound < 0)
		env->outbound = direction_outbound(env, s->outbound_daemons,
						   s->internal_networks);
	if (thread_ledger_judge(l, 0, s->local_domains, env, out,
				&ledger_error) < 0)
		return -1;
	if (ledger_error)
		fprintf(stderr, "kensa: ledger %s: %s\n", ledger_location(l),
			ledger_error);
	return 0;
}

int cli_ledger(const struct settings *s, const char *location, int readonly,
	       struct ledger **out)
{
	char *error = NULL, *dir = NULL;
	int missing;

	*out = NULL;
	if (!location &&
	    !*s->ledger_location) { /* the default: if it is there */
		if (asprintf(&dir, "%s/ledger", s->state_dir) < 0)
			return report(NULL);
		missing = access(dir, F_OK) != 0;
		free(dir);
		if (missing && readonly)
			return 0;
	}
	return ledger_open_settings(s, location, readonly, out, &error) < 0
		   ? report(error)
		   : 0;
}
