/*
 * attachment - judges a part by its detected type and its file name:
 * executables, scripts, shortcuts, disk images, installers, double
 * extensions and right-to-left override characters in names.
 * Reads only the name (bounded by its length) and the detected type.
 */
#ifndef KENSA_ATTACHMENT_H
#define KENSA_ATTACHMENT_H

#include "scan_ctx.h"

int attachment_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
