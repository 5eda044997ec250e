/*
 * ppt - objects stored inside a PowerPoint 97-2003 `PowerPoint Document`
 * stream: every ExOleObjStg record (the VBA project of the presentation,
 * embedded OLE objects), zlib-compressed (record instance 1) or stored.
 * Each storage that is a compound file is handed to dispatch_child() as
 * "ExOleObjStg N" and so analyzed like any compound file; one that is an
 * embedded object (not the presentation's VBA project, not a Package or an
 * equation, which report themselves) is office.ole_object "ExOleObjStg N:
 * CLASS", the class from the progIdAtom (CString instance 2) of the
 * ExOleEmbed/ExOleLink/ExControl container whose ExOleObjAtom's persist id
 * the PersistDirectoryAtoms map to that record's offset, else from the
 * object's \001CompObj (office_embedded_file).
 *
 * Walks the record headers twice (objects and persist directories first),
 * entering containers; a record that runs past the stream ends the walk;
 * at most 64 objects are matched with their class. Limits: inflated bytes are charged to
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
