/*
 * fat - files on FAT12, FAT16 and FAT32 volumes in disk images: raw
 * floppy and disk images (.img) and VHDs (vhd.h). fat_analyze() finds the
 * volumes - the image itself when its first sector is a FAT boot sector,
 * else the partitions of an MBR (four primary entries) or a GPT (at most
 * FAT_GPT_ENTRIES entries) whose first sector is one - and walks each:
 * root directory and subdirectories (at most FAT_DEPTH deep and
 * FAT_DIRS directories per volume, each read once, at most FAT_DIR_BYTES
 * each), long file names (VFAT entries, UTF-16 to UTF-8, checked against
 * their short entry's checksum), cluster chains checked against the
 * volume's cluster range and stopped at a cycle or past the clusters the
 * file's size needs. Every file goes through dispatch_child() under its
 * path in the volume ("DIR/invoice.lnk"), with the limits of member.h
 * (members, member bytes, ratio and the message's budget; directories
 * count as expanded bytes too) and limits.nesting_depth. What cannot be
 * read (no FAT volume, VHDX, differencing VHDs, broken chains, clusters
 * out of range, a truncated image) is archive.unsupported, once per
 * volume for the walk.
 */
#ifndef KENSA_FAT_H
#define KENSA_FAT_H

#include <stdint.h>

#include "dispatch.h"

#define FAT_DEPTH	16
#define FAT_DIRS	1024
#define FAT_DIR_BYTES	((size_t)2 << 20) /* 65536 entries, FAT's own limit */
#define FAT_GPT_ENTRIES 128

#define FAT_TYPES (FT_BIT(FT_FAT) | FT_BIT(FT_VHD))

int fat_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
