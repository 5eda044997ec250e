/*
 * onenote - OneNote sections (FT_ONENOTE) that carry files: every
 * FileDataStoreObject (its header GUID, a 64-bit length, the file's bytes)
 * gives attachment.onenote_embedded, and each file goes through
 * dispatch_child() as "embedded1", "embedded2", ... so an HTA or a
 * program inside gets its own findings. Reads only within the span; a
 * length past its end is cut to it (the file is marked cut short).
 * Limits: limits.nesting_depth (archive.depth_exceeded),
 * limits.archive_entries (archive.entries_exceeded), counted with the
 * members of archives.
 */
#ifndef KENSA_ONENOTE_H
#define KENSA_ONENOTE_H

#include "scan_ctx.h"

int onenote_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
