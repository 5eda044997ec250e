/*
 * report_json - a report as JSON (jansson): the "message_id", "findings",
 * "parts" and "urls" members of kensa's event object (DESIGN.md), for the
 * event log, kensa scan --json and the quarantine's metadata. (The
 * workers send their reports to the daemon in report_wire's form.)
 */
#ifndef KENSA_REPORT_JSON_H
#define KENSA_REPORT_JSON_H

#include <jansson.h>

#include "report.h"

int report_to_json(const struct report *r, json_t *obj);

#endif
