/*
 * dispatch - where every piece of content goes: a MIME leaf, an archive
 * member, an object embedded in a document. dispatch_content() identifies
 * it by its bytes, records it in the report (path, types, name, size,
 * SHA-256) and runs every analyzer of the table in dispatch.c whose type
 * mask covers it. An analyzer that fails yields scan.error for that part
 * and the scan goes on. Analyzers that open containers hand each child to
 * dispatch_child(), which bounds the nesting (limits.nesting_depth).
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

void dispatch_content(struct scan_ctx *ctx, const struct part_path *path,
		      const char *filename, const char *declared,
		      struct span content, int truncated);
/*
 * A child of parent named name (a member name, a stream name): its path
 * is parent's path plus name. Returns 0, or 1 without scanning it when
 * the nesting limit is reached (the caller reports its own finding,
 * e.g. archive.depth_exceeded).
 */
int dispatch_child(struct scan_ctx *ctx, const struct part_ctx *parent,
		   const char *name, struct span content, int truncated);

#endif
