/*
 * uudecode - uuencoded and yEnc blocks inside text parts: a body that
 * carries a file the old way ("begin 644 invoice.exe" ... "end", or
 * "=ybegin ... name=invoice.exe" ... "=yend") has it decoded and scanned
 * as a child part named by the block's file name (dispatch_child), like
 * an attachment.
 *
 * Reads text parts (detected as text, or declared text/ and 8-bit):
 * "begin MODE NAME" (MODE three or four octal digits) at the start of a line,
 * then uuencoded lines (a length character, then four characters per three
 * bytes; '`' is zero) up to "end" or the first line that is not uuencoded;
 * "=ybegin" lines with a name= (the rest of the line), an optional
 * "=ypart" line, then yEnc data (each byte plus 42, '=' escapes the next
 * one plus 64) up to "=yend". A block without its end is decoded as far
 * as it goes and scanned as truncated.
 * Refuses: begin-base64 blocks, the other parts of a multi-part yEnc post.
 * Limits: blocks count as archive members (limits.archive_entries,
 * limits.nesting_depth), at most UUDECODE_MAX_BLOCKS per text; one block
 * decodes to at most limits.archive_member_bytes (never more than its
 * text), taken from the message's budget (scan_budget_take); over either:
 * scan.limit and the block is scanned as far as it was decoded.
 */
#ifndef KENSA_UUDECODE_H
#define KENSA_UUDECODE_H

#include "scan_ctx.h"

#define UUDECODE_MAX_BLOCKS 100
#define UUDECODE_NAME_MAX   256

enum uudecode_kind { UUDECODE_UU, UUDECODE_YENC };

struct uudecode_block {
	enum uudecode_kind kind;
	char name[UUDECODE_NAME_MAX]; /* as written, NUL-terminated, may be
					 empty */
	struct span data;	      /* the encoded lines */
	int ended;		      /* "end" or "=yend" seen */
};

/* The next block at or after *off in text; 1, or 0 when there is none. */
int uudecode_next(struct span text, size_t *off, struct uudecode_block *b);
/* Decodes a block into out (at most cap bytes); returns the length. */
size_t uudecode_block(const struct uudecode_block *b, uint8_t *out, size_t cap);

int uudecode_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
