/*
 * event_json - the one JSON object per message that `kensa scan --json`
 * prints and the daemon logs: the decision, then the report (DESIGN.md).
 */
#ifndef KENSA_EVENT_JSON_H
#define KENSA_EVENT_JSON_H

#include <jansson.h>

#include "policy.h"

json_t *event_json(const char *file, const struct report *r,
		   const struct policy *p, const struct decision *d);

#endif
