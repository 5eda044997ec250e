#include "member.h"

void member_limits_init(struct member_limits *ml, struct scan_ctx *ctx,
			const struct part_ctx *part)
{
	size_t len = part->content.len, ratio = ctx->limits->archive_ratio;

	ml->ctx = ctx;
	ml->part = part;
	ml->expanded = 0;
	ml->bomb = 0;
	ml->ratio_cap =
	    ratio && len > SIZE_MAX / ratio ? SIZE_MAX : len * ratio;
	if (ml->ratio_cap < MEMBER_RATIO_FLOOR)
		ml->ratio_cap = MEMBER_RATIO_FLOOR;
}

int member_next(struct member_limits *ml, unsigned long long members)
{
	struct scan_ctx *ctx = ml->ctx;

	if (ctx->archive_members < ctx->limits->archive_entries) {
		ctx->archive_members++;
		return 0;
	}
	scan_finding(ctx, "archive.entries_exceeded", ml->part->path,
		     "%llu members, %u read in this message", members,
		     ctx->limits->archive_entries);
	return 1;
}

static void member_bomb(struct member_limits *ml, const char *fmt,
			const char *name, size_t n)
{
	if (ml->bomb)
		return;
	ml->bomb = 1;
	scan_finding(ml->ctx, "archive.bomb", ml->part->path, fmt, name, n);
}

size_t member_cap(struct member_limits *ml, const char *name, int sizes_known,
		  uint64_t size, uint64_t compressed, int *reported)
{
	const struct scan_limits *l = ml->ctx->limits;
	size_t cap = l->archive_member_bytes;

	*reported = 0;
	if (!sizes_known)
		return cap;
	if (size > l->archive_member_bytes) {
		scan_finding(ml->ctx, "archive.oversized_member",
			     ml->part->path,
			     "%s: declares %llu bytes, over %zu", name,
			     (unsigned long long)size, l->archive_member_bytes);
		*reported = 1;
		cap = l->archive_head_bytes;
	}
	if (size > MEMBER_RATIO_FLOOR && size / l->archive_ratio > compressed) {
		member_bomb(ml, "%s: declares %zu expanded bytes", name,
			    (size_t)size);
		*reported = 1;
		cap = l->archive_head_bytes;
	}
	return cap < l->archive_member_bytes ? cap : l->archive_member_bytes;
}

size_t member_room(const struct member_limits *ml, size_t held, size_t cap,
		   enum member_cut *why)
{
	size_t room = held < cap ? cap - held : 0;

	*why = MEMBER_CUT_SIZE;
	if (ml->ratio_cap - ml->expanded < room) {
		room = ml->ratio_cap - ml->expanded;
		*why = MEMBER_CUT_RATIO;
	}
	if (ml->ctx->budget_left < room) {
		room = ml->ctx->budget_left;
		*why = MEMBER_CUT_BUDGET;
	}
	return room;
}

void member_took(struct member_limits *ml, size_t n)
{
	scan_budget_take(ml->ctx, n);
	ml->expanded += n;
}

void member_report_cut(struct member_limits *ml, const char *name,
		       enum member_cut why, int reported)
{
	const struct scan_limits *l = ml->ctx->limits;

	switch (why) {
	case MEMBER_CUT_SIZE:
		if (!reported)
			scan_finding(ml->ctx, "archive.oversized_member",
				     ml->part->path, "%s: over %zu bytes", name,
				     l->archive_member_bytes);
		break;
	case MEMBER_CUT_RATIO:
		member_bomb(ml, "%s: expands over %zu bytes", name,
			    ml->ratio_cap);
		break;
	case MEMBER_CUT_BUDGET:
		member_bomb(ml, "%s: expanded bytes budget of %zu ran out",
			    name, l->decoded_bytes);
		break;
	case MEMBER_CUT_NONE: break;
	}
}
