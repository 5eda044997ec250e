/*
 * limits_json - the scan limits to and from JSON, one table of fields, so
 * that the daemon hands its limits to the scan workers without each side
 * listing them. A new limit is a field in limits.h and a row here.
 */
#ifndef KENSA_LIMITS_JSON_H
#define KENSA_LIMITS_JSON_H

#include <jansson.h>

#include "limits.h"

json_t *limits_to_json(const struct scan_limits *l);
/* Fields missing from j keep their value in l. */
void limits_from_json(const json_t *j, struct scan_limits *l);

#endif
