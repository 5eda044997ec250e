/*
 * unpack - containers other than ZIP, read with libarchive from memory:
 * 7z, RAR (4 and 5), CAB, TAR, LHA, ISO 9660 images (UDF bridge images
 * through their ISO 9660 side), and single files compressed with gzip,
 * bzip2 or xz (one member, named after the part less its suffix: the tar
 * of a .tar.gz is that member, opened in turn). Only the format and the
 * filters of the detected type are enabled, one by one: never every
 * filter, some of which run external programs. A CAB file is checked
 * first (cabinet.h). Every regular file goes through dispatch_child();
 * encrypted entries, which libarchive cannot decrypt in these formats,
 * are archive.encrypted and archive.password_unknown; what libarchive
 * cannot read is archive.unsupported. Limits as member.h says, and
 * limits.nesting_depth (archive.depth_exceeded).
 */
#ifndef KENSA_UNPACK_H
#define KENSA_UNPACK_H

#include "dispatch.h"

#define UNPACK_TYPES                                                           \
	(FT_BIT(FT_7Z) | FT_BIT(FT_RAR) | FT_BIT(FT_CAB) | FT_BIT(FT_TAR) |    \
	 FT_BIT(FT_LHA) | FT_BIT(FT_ISO) | FT_BIT(FT_UDF) | FT_BIT(FT_GZIP) |  \
	 FT_BIT(FT_BZIP2) | FT_BIT(FT_XZ))

int unpack_analyze(struct scan_ctx *ctx, const struct part_ctx *part);

#endif
