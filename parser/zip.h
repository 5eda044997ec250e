/*
 * zip - the ZIP archive analyzer (FT_ZIP): every member through
 * dispatch_child(), encrypted members opened with the message's password
 * candidates. See parser/zip.c for what it refuses and its limits.
 */
#ifndef KENSA_ZIP_H
#define KENSA_ZIP_H

#include "scan_ctx.h"

int zip_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
