/*
 * cabinet - checks a CAB file's structure before libarchive reads it:
 * libarchive 3.6 dereferences NULL on a stored (uncompressed) data block
 * that claims more uncompressed bytes than it holds. Walks the header,
 * the folder entries and each folder's data blocks, all within the span,
 * at most CABINET_MAX_BLOCKS blocks; refuses a structure that leaves the
 * span or a stored block whose two sizes differ.
 */
#ifndef KENSA_CABINET_H
#define KENSA_CABINET_H

#include "span.h"

#define CABINET_MAX_BLOCKS 65536

/* 1 when libarchive may read it, 0 when not (why says what is wrong). */
int cabinet_check(struct span s, const char **why);

#endif
