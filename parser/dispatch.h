/*
 * dispatch - the table from detected file type to analyzers. Every part
 * (MIME leaf, later archive member) goes through dispatch_part(); an
 * analyzer that fails yields scan.error for that part and the scan goes on.
 * New analyzers plug in by adding a row to the table in dispatch.c.
 */
#ifndef KENSA_DISPATCH_H
#define KENSA_DISPATCH_H

#include "scan_ctx.h"

#define FT_BIT(t) (1ULL << (t))
#define FT_ANY	  (~0ULL)

struct analyzer {
	const char *name;
	unsigned long long types; /* FT_BIT mask of types it reads */
	int (*run)(struct scan_ctx *ctx, const struct part_ctx *part);
};

void dispatch_part(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
