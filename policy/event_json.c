#include "event_json.h"

#include <stdlib.h>
#include <string.h>

#include "../parser/report_json.h"
#include "../parser/utf8.h"

static json_t *names_json(const char *const *names, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	return arr;
}

json_t *event_json(const char *file, const struct report *r,
		   const struct policy *p, const struct decision *d)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	json_object_set_new(obj, "v", json_integer(1));
	if (file) {
		char *name = utf8_repair(file, strlen(file));
		json_object_set_new(obj, "file", json_string(name ? name : ""));
		free(name);
	}
	json_object_set_new(obj, "message_id",
			    r->message_id ? json_string(r->message_id)
					  : json_null());
	json_object_set_new(obj, "verdict",
			    json_string(verdict_name(d->verdict)));
	json_object_set_new(obj, "score", json_integer(d->score));
	json_object_set_new(obj, "mode",
			    json_string(d->monitor ? "monitor" : "enforce"));
	json_object_set_new(obj, "policy_digest",
			    p ? json_string(p->digest) : json_null());
	json_object_set_new(obj, "rules", names_json(d->rules, d->nrules));
	json_object_set_new(obj, "monitor_rules",
			    names_json(d->monitor_rules, d->nmonitor_rules));
	if (d->nallowed) {
		json_t *allowed = json_array();
		for (size_t i = 0; allowed && i < d->nallowed; i++)
			json_array_append_new(
			    allowed,
			    json_pack("{s:s,s:s}", "rule", d->allowed_rules[i],
				      "allow", d->allowed_by[i]));
		json_object_set_new(obj, "allowed", allowed);
	}
	if (report_to_json(r, obj) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}
