/*
 * ppt - objects stored inside a PowerPoint 97-2003 `PowerPoint Document`
 * stream: every ExOleObjStg record (the VBA project of the presentation,
 * embedded OLE objects), zlib-compressed (record instance 1) or stored.
 * Each storage that is a compound file is handed to dispatch_child() as
 * "ExOleObjStg N" and so analyzed like any compound file.
 *
 * Walks the record headers once, entering containers; a record that runs
 * past the stream ends the walk. Limits: inflated bytes are charged to
 * the expanded-bytes budget (limits.decoded_bytes) as they are produced,
 * and never exceed the size the record declares; nesting as
 * dispatch_child() (limits.nesting_depth).
 */
#ifndef KENSA_PPT_H
#define KENSA_PPT_H

#include "scan_ctx.h"

int ppt_scan(struct scan_ctx *ctx, const struct part_ctx *part,
	     struct span stream);

#endif
