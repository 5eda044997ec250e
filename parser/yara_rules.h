/*
 * yara_rules - a site's YARA rules (libyara) and the analyzer that runs
 * them on every part and archive member. Rules are compiled from files
 * (yara_rules_compile; errors as "file:line: message") and matched in
 * memory with a per-part timeout (YARA_SCAN_SECONDS); a match is the
 * finding yara.RULE with the rule's `description` meta as detail. A scan
 * error or timeout is scan.error or scan.limit on that part.
 */
#ifndef KENSA_YARA_RULES_H
#define KENSA_YARA_RULES_H

#include <stddef.h>

#include "scan_ctx.h"

#define YARA_SCAN_SECONDS 5

struct yara_rules;

int yara_rules_compile(const char *const *files, size_t n,
		       struct yara_rules **out, char *err, size_t errlen);
void yara_rules_free(struct yara_rules *r);
int yara_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
