/*
 * member - the limits every container reader (zip.c, unpack.c) applies to
 * the members it expands, in one place: how many members a message may
 * have (limits.archive_entries), how large one may be
 * (limits.archive_member_bytes, limits.archive_head_bytes), how much a
 * container may expand over its own size (limits.archive_ratio, never
 * under MEMBER_RATIO_FLOOR) and the message's shared budget
 * (limits.decoded_bytes). Each limit hit is reported once as its finding:
 * archive.entries_exceeded, archive.oversized_member, archive.bomb.
 */
#ifndef KENSA_MEMBER_H
#define KENSA_MEMBER_H

#include <stdint.h>

#include "scan_ctx.h"

#define MEMBER_RATIO_FLOOR ((size_t)1 << 20)

enum member_cut {
	MEMBER_CUT_NONE,
	MEMBER_CUT_SIZE, /* archive_member_bytes or archive_head_bytes */
	MEMBER_CUT_RATIO,
	MEMBER_CUT_BUDGET,
};

struct member_limits {
	struct scan_ctx *ctx;
	const struct part_ctx *part; /* the container */
	size_t expanded;	     /* bytes its members expanded to */
	size_t ratio_cap;	     /* what limits.archive_ratio allows */
	int bomb;		     /* archive.bomb reported */
};

void member_limits_init(struct member_limits *ml, struct scan_ctx *ctx,
			const struct part_ctx *part);
/* 0, or 1 (archive.entries_exceeded reported) when no member may follow. */
int member_next(struct member_limits *ml, unsigned long long members);
/*
 * How many bytes of a member to read at most, from its declared size
 * (size, compressed) when known (sizes_known); over a limit is reported,
 * and *reported set.
 */
size_t member_cap(struct member_limits *ml, const char *name, int sizes_known,
		  uint64_t size, uint64_t compressed, int *reported);
/* Bytes that may be read now with held of cap read; *why: what binds. */
size_t member_room(const struct member_limits *ml, size_t held, size_t cap,
		   enum member_cut *why);
/* n more bytes expanded, taken from the shared budget. */
void member_took(struct member_limits *ml, size_t n);
/* Reports why a member was cut short, unless member_cap did. */
void member_report_cut(struct member_limits *ml, const char *name,
		       enum member_cut why, int reported);

#endif
