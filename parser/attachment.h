/*
 * attachment - judges a part by its detected type, its content and its
 * file name: executables, scripts (by name or content markers), shortcuts,
 * disk images, installers, CHM, HTML smuggling (markers.h), double
 * extensions, right-to-left override characters in names, and names that
 * disagree with the bytes. Reads the name (bounded by its length), the
 * detected type and at most MARKERS_SCAN_BYTES of the content.
 */
#ifndef KENSA_ATTACHMENT_H
#define KENSA_ATTACHMENT_H

#include "scan_ctx.h"

int attachment_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
