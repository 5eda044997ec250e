/*
 * filetype - identifies a file from its bytes, never from its name.
 * Reads at most the first 64 KiB (ISO/UDF descriptors sit at 32 KiB), for
 * VHD the last 512 bytes, for a partitioned FAT image (FT_FAT) the first
 * sector of each partition of its MBR or of the first 128 of its GPT
 * when the span holds it, and for
 * ZIP the central directory (at most 4096 entries). Unknown bytes are FT_BINARY
 * or FT_TEXT.
 */
#ifndef KENSA_FILETYPE_H
#define KENSA_FILETYPE_H

#include "span.h"

enum filetype {
	FT_EMPTY,
	FT_TEXT,
	FT_BINARY,
	FT_PE,
	FT_ELF,
	FT_ZIP,
	FT_OOXML,
	FT_CFB,
	FT_PDF,
	FT_RTF,
	FT_ISO,
	FT_UDF,
	FT_VHD,
	FT_LNK,
	FT_ONENOTE,
	FT_HTML,
	FT_PNG,
	FT_JPEG,
	FT_GIF,
	FT_GZIP,
	FT_RAR,
	FT_7Z,
	FT_CAB,
	FT_BZIP2,
	FT_XZ,
	FT_TAR,
	FT_LHA,
	FT_TNEF,
	FT_FAT,
	FT_COUNT
};

enum filetype filetype_detect(struct span bytes);
const char *filetype_mime(enum filetype t);
const char *filetype_name(enum filetype t);
/* 1 when the 512 bytes at p are a FAT boot sector with a sane BPB. */
int filetype_fat_boot(const uint8_t *p);

#endif
