/*
 * mbox - splits an mbox file into messages at "From " lines that follow a
 * blank line (or start the file). The "From " line itself is not part of
 * the message. No >From unquoting: the bytes are scanned as stored.
 */
#ifndef KENSA_MBOX_H
#define KENSA_MBOX_H

#include "../parser/span.h"

int mbox_is_mbox(struct span file);
/* Next message after *offset; returns 0 and sets *msg, or 1 at the end. */
int mbox_next(struct span file, size_t *offset, struct span *msg);

#endif
