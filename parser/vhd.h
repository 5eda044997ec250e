/*
 * vhd - a disk image as a run of sectors: a raw image (the file itself),
 * a fixed VHD (the file less its 512-byte "conectix" footer) or a dynamic
 * VHD (footer, "cxsparse" header and a block allocation table of blocks,
 * each a sector bitmap and its data; blocks not allocated read as zeros).
 * VHDX: the current of the two headers (the higher sequence number), the
 * region table (BAT and metadata regions), the metadata items block size,
 * virtual disk size, logical sector size and file parameters; payload
 * blocks through the BAT, with its interleaved sector bitmap entries,
 * blocks not fully present read as zeros. The log is not replayed (a
 * VHDX closed uncleanly is read as its blocks are). Checksums are not
 * checked: Windows would refuse a bad one, kensa reads on.
 * Nothing is copied: disk_read() maps each read through the table into
 * the file. Refused: differencing disks (their data lives in a parent),
 * a table, header or region outside the file, block sizes that are not a
 * power of two between 4 KiB (VHDX: 1 MiB) and 256 MiB, over
 * VHD_TABLE_ENTRIES table entries. The disk size is the footer's (the
 * metadata's), never more than the table covers (dynamic) or the file
 * holds (fixed).
 */
#ifndef KENSA_VHD_H
#define KENSA_VHD_H

#include <stdint.h>

#include "span.h"

#define VHD_TABLE_ENTRIES (1u << 20) /* 2 TB of 2 MB blocks */

struct disk {
	struct span file;
	uint64_t size;	    /* bytes of the virtual disk */
	const char *format; /* "raw", "vhd fixed", "vhd dynamic", "vhdx" */
	/* dynamic VHD (1) or VHDX (2) */
	int dynamic;
	uint32_t chunk;	  /* VHDX: payload blocks per sector bitmap entry */
	uint64_t table;	  /* offset of the block allocation table */
	uint32_t entries; /* its entries */
	uint32_t block;	  /* bytes of data per block */
	uint32_t bitmap;  /* bytes of sector bitmap before each block */
};

/* The file as a raw disk. */
void disk_raw(struct disk *d, struct span file);
/* 0, or -1 with *why saying what is refused. */
int vhd_open(struct disk *d, struct span file, const char **why);
/*
 * len bytes at off of the virtual disk into buf: 0, or -1 when they lie
 * past the disk's end or in a block that is outside the file.
 */
int disk_read(const struct disk *d, uint64_t off, uint8_t *buf, size_t len);

#endif
