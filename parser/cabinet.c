#include "cabinet.h"

#include <string.h>

#include "bytes.h"

#define CAB_HEADER	   36
#define CAB_FLAG_RESERVE   0x0004
#define CAB_FLAG_PREV	   0x0001
#define CAB_FLAG_NEXT	   0x0002
#define CAB_COMPRESS_MASK  0x000f
#define CAB_COMPRESS_STORE 0

/* a counted string (previous/next cabinet names) ends with NUL */
static int cab_skip_string(struct span s, size_t *off)
{
	const uint8_t *nul;

	if (*off >= s.len)
		return 0;
	nul = memchr(s.ptr + *off, 0, s.len - *off);
	if (!nul)
		return 0;
	*off = (size_t)(nul - s.ptr) + 1;
	return 1;
}

/* The data blocks of one stored folder: both sizes must agree. */
static int cab_check_stored(struct span s, size_t off, unsigned blocks,
			    size_t data_reserve, unsigned *budget,
			    const char **why)
{
	for (unsigned b = 0; b < blocks; b++) {
		unsigned packed, unpacked;
		if (*budget == 0) {
			*why = "too many data blocks";
			return 0;
		}
		(*budget)--;
		if (off > s.len || s.len - off < 8 + data_reserve) {
			*why = "data block past the end";
			return 0;
		}
		packed = bytes_le16(s.ptr + off + 4);
		unpacked = bytes_le16(s.ptr + off + 6);
		if (packed != unpacked) {
			*why = "a stored block's sizes disagree";
			return 0;
		}
		off += 8 + data_reserve + packed;
	}
	return 1;
}

int cabinet_check(struct span s, const char **why)
{
	unsigned flags, folders, budget = CABINET_MAX_BLOCKS;
	size_t off = CAB_HEADER, folder_reserve = 0, data_reserve = 0;

	*why = "header past the end";
	if (!span_starts_with(s, "MSCF", 4) || s.len < CAB_HEADER)
		return 0;
	folders = bytes_le16(s.ptr + 26);
	flags = bytes_le16(s.ptr + 30);
	if (flags & CAB_FLAG_RESERVE) {
		if (s.len < CAB_HEADER + 4)
			return 0;
		off += 4 + bytes_le16(s.ptr + CAB_HEADER);
		folder_reserve = s.ptr[CAB_HEADER + 2];
		data_reserve = s.ptr[CAB_HEADER + 3];
	}
	*why = "cabinet names past the end";
	if ((flags & CAB_FLAG_PREV) &&
	    (!cab_skip_string(s, &off) || !cab_skip_string(s, &off)))
		return 0;
	if ((flags & CAB_FLAG_NEXT) &&
	    (!cab_skip_string(s, &off) || !cab_skip_string(s, &off)))
		return 0;
	for (unsigned f = 0; f < folders; f++, off += 8 + folder_reserve) {
		if (off > s.len || s.len - off < 8 + folder_reserve) {
			*why = "folder past the end";
			return 0;
		}
		if ((bytes_le16(s.ptr + off + 6) & CAB_COMPRESS_MASK) !=
		    CAB_COMPRESS_STORE)
			continue;
		if (!cab_check_stored(s, bytes_le32(s.ptr + off),
				      bytes_le16(s.ptr + off + 4), data_reserve,
				      &budget, why))
			return 0;
	}
	return 1;
}
