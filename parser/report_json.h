/*
 * report_json - a report to and from its JSON form (jansson): the
 * "message_id", "findings", "parts" and "urls" members of kensa's event
 * object (DESIGN.md). The workers send reports to the daemon this way.
 * report_from_json refuses (returns -1) anything not of that shape.
 */
#ifndef KENSA_REPORT_JSON_H
#define KENSA_REPORT_JSON_H

#include <jansson.h>

#include "report.h"

int report_to_json(const struct report *r, json_t *obj);
/* The decoded header too ("headers"), for the workers' answers only: the
 * event and scan JSON leave it out. */
int report_headers_to_json(const struct report *r, json_t *obj);
int report_from_json(const json_t *obj, struct report *r, size_t max_findings);

#endif
