/*
 * tnef - Outlook's TNEF container (winmail.dat, application/ms-tnef,
 * MS-OXTNEF): every attachment it carries is scanned as a child part
 * (dispatch_child), named by its long file name (PR_ATTACH_LONG_FILENAME,
 * else PR_ATTACH_FILENAME, else the attAttachTitle attribute, else
 * "attachmentN"). An attachment's bytes are its attAttachData attribute,
 * else its PR_ATTACH_DATA_OBJ property (an embedded message, itself TNEF,
 * is then scanned in turn: filetype.c knows TNEF by its signature).
 *
 * Why not libytnef (Debian libytnef0-dev), which the issue suggested: it
 * prints its errors with printf() to standard output whatever its Debug
 * setting ("ERROR: invalid alloc size ..." for a hostile length, "ERROR:
 * Signature does not match" ...), which would corrupt `kensa scan --json`
 * (one JSON object per line on stdout) and write into whatever a worker's
 * stdout is; it copies every attribute into its own allocations (up to 50
 * MB each, outside the message's budget) and stops at the first
 * attribute whose checksum does not match (TNEFParseMemory returns -5 and
 * the attachment is empty): one flipped checksum byte would hide a macro
 * document from the scan, not from a lenient reader
 * (t/archive/containers.sh). The
 * format is a flat list of length-prefixed attributes; this reader walks it
 * once, copies nothing (children are spans of the part) and ignores checksums.
 *
 * Refuses: nothing more than it must; a truncated attribute ends the walk
 * and the attachment it held is scanned as far as it goes (truncated).
 * Limits: attachments count as archive members (limits.archive_entries,
 * limits.nesting_depth); attributes and MAPI properties are walked in one
 * pass, each at least 4 bytes, so the work is linear in the part; at most
 * TNEF_MAX_ATTACHMENTS attachments per container (then scan.limit).
 */
#ifndef KENSA_TNEF_H
#define KENSA_TNEF_H

#include "scan_ctx.h"

#define TNEF_MAX_ATTACHMENTS 1000

struct tnef_attachment {
	char name[256]; /* UTF-8, NUL-terminated, may be empty */
	struct span data;
	int truncated;
	int has_data;
};

/*
 * Walks a TNEF stream; for each attachment calls fn (which returns
 * nonzero to stop). Returns the number of attachments, or -1 when s is
 * not TNEF.
 */
int tnef_walk(struct span s,
	      int (*fn)(void *arg, const struct tnef_attachment *a), void *arg);

int tnef_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
