#include "onenote.h"

#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "dispatch.h"
#include "member.h"

#define ONENOTE_FILE_DATA 36 /* guid, cbLength, unused, reserved */

/* {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC} */
static const uint8_t file_data_guid[16] = {0xe7, 0x16, 0xe3, 0xbd, 0x65, 0x26,
					   0x11, 0x45, 0xa4, 0xc4, 0x8d, 0x4d,
					   0x0b, 0x7a, 0x9e, 0xac};

/* The next FileDataStoreObject at or after *off; 0 when there is none. */
static int onenote_next(struct span s, size_t *off, struct span *file, int *cut)
{
	const uint8_t *hit;
	size_t start, left;
	uint64_t len;

	if (*off >= s.len)
		return 0;
	hit = memmem(s.ptr + *off, s.len - *off, file_data_guid,
		     sizeof(file_data_guid));
	if (!hit)
		return 0;
	start = (size_t)(hit - s.ptr);
	if (s.len - start < ONENOTE_FILE_DATA) {
		*off = s.len;
		return 0;
	}
	len = bytes_le64(hit + 16);
	left = s.len - start - ONENOTE_FILE_DATA;
	*cut = len > left;
	*file = span_make(hit + ONENOTE_FILE_DATA, *cut ? left : (size_t)len);
	*off = start + ONENOTE_FILE_DATA + file->len;
	return 1;
}

int onenote_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	const struct scan_limits *l = ctx->limits;
	struct member_limits ml;
	struct span file;
	size_t off = 0, count = 0;
	int cut;

	while (onenote_next(part->content, &off, &file, &cut))
		count++;
	if (!count)
		return 0;
	scan_finding(ctx, "attachment.onenote_embedded", part->path,
		     "%zu embedded files", count);
	if (ctx->nesting >= l->nesting_depth) {
		scan_finding(ctx, "archive.depth_exceeded", part->path,
			     "nesting over %u", l->nesting_depth);
		return 0;
	}
	member_limits_init(&ml, ctx, part);
	off = 0;
	for (size_t i = 1; onenote_next(part->content, &off, &file, &cut);
	     i++) {
		char name[32];
		if (member_next(&ml, count))
			break;
		snprintf(name, sizeof(name), "embedded%zu", i);
		dispatch_child(ctx, part, name, file, cut);
	}
	return 0;
}
