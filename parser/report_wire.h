/*
 * report_wire - a report in the compact binary form the scan workers send
 * the daemon: what report_json carries for them (findings, parts, URLs
 * with their parts, message-id, subject, From, size, the decoded header,
 * the scan time), without JSON's cost on either side.
 *
 * Layout: "KRW1", then strings as a 32-bit length and the bytes (length
 * 0xffffffff: absent), counts as 32-bit and sizes as 64-bit numbers, all
 * little-endian. report_from_wire trusts nothing: every length is checked
 * against what is left, every string goes through the report's own
 * functions (UTF-8 repair, the findings limit, PATH_MAX_ELEMS), finding ids
 * and part types must be short printable ASCII, and anything else (a
 * truncated buffer, bytes left over) refuses the whole report (-1).
 */
#ifndef KENSA_REPORT_WIRE_H
#define KENSA_REPORT_WIRE_H

#include <stddef.h>

#include "report.h"

/* The report as a malloc'd buffer in *out, its length in *len; 0 or -1. */
int report_to_wire(const struct report *r, unsigned char **out, size_t *len);
/* Fills r (report_init'ed here, freed on failure); 0 or -1. */
int report_from_wire(const void *buf, size_t len, struct report *r,
		     size_t max_findings);

#endif
