/*
 * zip - the ZIP archive analyzer (FT_ZIP): every member through
 * dispatch_child(), encrypted members opened with the message's password
 * candidates. See parser/zip.c for what it refuses and its limits.
 */
#ifndef KENSA_ZIP_H
#define KENSA_ZIP_H

#include <zip.h>

#include "scan_ctx.h"

int zip_analyze(struct scan_ctx *ctx, const struct part_ctx *part);
/* libzip, read-only, over bytes it does not copy; NULL with err set. */
zip_t *zip_open_span(struct span s, zip_error_t *err);

#endif
