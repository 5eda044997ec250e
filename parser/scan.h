/*
 * scan - the engine's entry point: message bytes in, report out.
 * Used by both front ends (kensa scan, the kensa-milter workers), so the
 * two always agree. Needs scan_global_init() once per process (GMime).
 */
#ifndef KENSA_SCAN_H
#define KENSA_SCAN_H

#include "limits.h"
#include "report.h"
#include "span.h"

struct yara_rules;

struct scan_options {
	struct scan_limits limits;
	const struct yara_rules *yara; /* the site's YARA rules, or NULL */
};

void scan_global_init(void);
int scan_message(struct span msg, const struct scan_options *opts,
		 struct report *out);

#endif
