/*
 * cfb - a reader for MS-CFB compound files (OLE2: .doc, .xls, .ppt,
 * vbaProject.bin, encrypted OOXML), from memory.
 *
 * Reads versions 3 and 4 (512- and 4096-byte sectors): the DIFAT in the
 * header and its chained sectors, the FAT, the MiniFAT, the mini stream
 * and the directory tree. Refuses a bad signature or sector shift, chains
 * that loop (a visited bitmap per walk), leave the file or are shorter
 * than their stream, and directory links out of range; a directory tree
 * with cycles is walked once per entry, the rest ignored.
 *
 * Limits: no allocation is sized from header counts alone (every table
 * is bounded by the sectors the file really has); every stream read is
 * charged to the message's expanded-bytes budget (limits.decoded_bytes)
 * and refused with CFB_E_BUDGET when the budget cannot cover it.
 */
#ifndef KENSA_CFB_H
#define KENSA_CFB_H

#include <stdint.h>

#include "scan_ctx.h"
#include "span.h"

#define CFB_NONE 0xFFFFFFFFu

enum cfb_status {
	CFB_OK = 0,
	CFB_E_FORMAT = -1, /* not a compound file, or a broken one */
	CFB_E_BUDGET = -2, /* the expanded-bytes budget ran out */
	CFB_E_NOMEM = -3,
};

enum cfb_type {
	CFB_UNUSED = 0,
	CFB_STORAGE = 1,
	CFB_STREAM = 2,
	CFB_ROOT = 5,
};

struct cfb_entry {
	char name[96];	 /* UTF-8 of at most 31 UTF-16 units, NUL-terminated */
	uint8_t type;	 /* enum cfb_type */
	uint32_t parent; /* storage holding it; CFB_NONE: not in the tree */
	uint32_t left, right, child;
	uint32_t start;
	uint64_t size;
};

struct cfb {
	struct span file;
	struct scan_ctx *ctx;
	unsigned sector_shift;
	uint32_t nsectors;
	uint32_t *fat;
	uint32_t nfat;
	uint32_t *minifat;
	uint32_t nminifat;
	struct cfb_entry *dir;
	uint32_t ndir;
	uint8_t *mini; /* the mini stream, read once on first use */
	size_t mini_len;
	int mini_loaded;
};

int cfb_is_cfb(struct span file);
int cfb_open(struct cfb *c, struct span file, struct scan_ctx *ctx);
void cfb_close(struct cfb *c);
/* The child of storage named name (case-insensitive): 0 and *id, or 1. */
int cfb_child(const struct cfb *c, uint32_t storage, const char *name,
	      uint32_t *id);
/* A stream's bytes, malloc'd (caller frees), charged to the budget. */
int cfb_read(struct cfb *c, uint32_t id, uint8_t **buf, size_t *len);
const char *cfb_strerror(int status);

/*
 * in[i] (c->ndir bytes) = 1 for every entry below storage, at any depth;
 * each parent chain is walked once (cfb_extract.c).
 */
int cfb_subtree(const struct cfb *c, uint32_t storage, uint8_t *in);
/*
 * Storage (its streams and storages, at any depth) written out as a
 * compound file of its own (version 4, small streams in the mini stream),
 * malloc'd: what dispatch needs to analyze an embedded OLE object like an
 * attachment. The streams read and the file written are both charged to
 * the budget; CFB_E_BUDGET when it cannot cover them (or the file would
 * need more than 109 FAT sectors, about 450 MB).
 */
int cfb_extract(struct cfb *c, uint32_t storage, uint8_t **buf, size_t *len);

#endif
