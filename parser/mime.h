/*
 * mime - walks a message with GMime 3: every part, message/rfc822
 * attachments included, numbered like IMAP sections ("1", "2.1").
 * Transfer encodings are decoded within the shared budget; names come from
 * Content-Disposition and Content-Type (RFC 2231/2047, legacy Japanese
 * charsets) as UTF-8. Parser warnings that mean broken structure become
 * mime.malformed. Limits: limits.mime_depth, limits.mime_parts and the
 * decoded-bytes budget, each a mime.limit finding; the rest is not scanned.
 */
#ifndef KENSA_MIME_H
#define KENSA_MIME_H

#include <gmime/gmime.h>

#include "scan_ctx.h"

int mime_scan(struct scan_ctx *ctx, struct span msg);
/* A part's content with its transfer encoding undone, or NULL. */
GMimeStream *mime_decoded_stream(GMimePart *part);

#endif
