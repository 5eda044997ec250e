#include "ledger_settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ledger_open_settings(const struct settings *s, const char *location,
			 int readonly, struct ledger **out, char **error)
{
	char *dir = NULL, *key = NULL;
	struct ledger_options o = {0};
	int rc;

	*out = NULL;
	*error = NULL;
	if (!location)
		location = s->ledger_location;
	if (strcmp(location, "off") == 0)
		return 0;
	if (!*location && asprintf(&dir, "%s/ledger", s->state_dir) < 0)
		return -1;
	if (!*s->ledger_key_file &&
	    asprintf(&key, "%s/ledger.key", s->state_dir) < 0) {
		free(dir);
		return -1;
	}
	o.location = dir ? dir : location;
	o.key_file = key ? key : s->ledger_key_file;
	o.map_size = s->ledger_map_size;
	o.retention = s->ledger_retention;
	o.timeout_ms = (unsigned)s->ledger_timeout_ms;
	o.redis_user = s->ledger_redis_user;
	o.redis_password_file = s->ledger_redis_password_file;
	o.readonly = readonly;
	rc = ledger_open(&o, out, error) < 0 ? -1 : 1;
	free(dir);
	free(key);
	return rc;
}
