#include "vhd.h"

#include <string.h>

#define VHD_FOOTER 512
#define VHD_HEADER 1024

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

void disk_raw(struct disk *d, struct span file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
	d->size = file.len;
	d->format = "raw";
}

static int vhd_dynamic(struct disk *d, const uint8_t *footer, const char **why)
{
	struct span f = d->file;
	uint64_t hdr = be64(footer + 16), covers;
	const uint8_t *h;

	if (hdr > f.len || f.len - hdr < VHD_HEADER ||
	    memcmp(f.ptr + hdr, "cxsparse", 8) != 0) {
		*why = "no dynamic disk header";
		return -1;
	}
	h = f.ptr + hdr;
	d->table = be64(h + 16);
	d->entries = be32(h + 28);
	d->block = be32(h + 32);
	if (d->block < 4096 || d->block > (256u << 20) ||
	    (d->block & (d->block - 1))) {
		*why = "block size out of range";
		return -1;
	}
	if (d->entries > VHD_TABLE_ENTRIES) {
		*why = "block allocation table too large";
		return -1;
	}
	if (d->table > f.len || (f.len - d->table) / 4 < d->entries) {
		*why = "block allocation table outside the file";
		return -1;
	}
	/* one bit per sector, padded to whole sectors */
	d->bitmap = ((d->block / 512 + 7) / 8 + 511) / 512 * 512;
	covers = (uint64_t)d->entries * d->block;
	if (d->size > covers)
		d->size = covers;
	d->dynamic = 1;
	d->format = "vhd dynamic";
	return 0;
}

int vhd_open(struct disk *d, struct span file, const char **why)
{
	const uint8_t *footer = NULL;
	uint32_t type;

	disk_raw(d, file);
	if (span_starts_with(file, "vhdxfile", 8)) {
		*why = "VHDX is not read";
		return -1;
	}
	if (file.len >= VHD_FOOTER &&
	    span_has_at(file, file.len - VHD_FOOTER, "conectix", 8))
		footer = file.ptr + file.len - VHD_FOOTER;
	else if (span_starts_with(file, "conectix", 8) &&
		 file.len >= VHD_FOOTER)
		footer = file.ptr; /* the copy a dynamic disk starts with */
	if (!footer) {
		*why = "no VHD footer";
		return -1;
	}
	type = be32(footer + 60);
	d->size = be64(footer + 48);
	switch (type) {
	case 2: /* fixed: the sectors, then the footer */
		if (footer != file.ptr + file.len - VHD_FOOTER) {
			*why = "fixed disk without its footer";
			return -1;
		}
		d->file.len = file.len - VHD_FOOTER;
		if (d->size > d->file.len)
			d->size = d->file.len;
		d->format = "vhd fixed";
		return 0;
	case 3: return vhd_dynamic(d, footer, why);
	case 4: *why = "differencing disk, its data is in a parent"; return -1;
	default: *why = "unknown disk type"; return -1;
	}
}

int disk_read(const struct disk *d, uint64_t off, uint8_t *buf, size_t len)
{
	if (off > d->size || d->size - off < len)
		return -1;
	if (!d->dynamic) {
		memcpy(buf, d->file.ptr + off, len);
		return 0;
	}
	while (len > 0) {
		uint64_t idx = off / d->block, in = off % d->block;
		size_t n = d->block - in < len ? (size_t)(d->block - in) : len;
		uint32_t sector;
		uint64_t at;

		if (idx >= d->entries)
			return -1;
		sector = be32(d->file.ptr + d->table + idx * 4);
		if (sector == 0xffffffffu) {
			memset(buf, 0, n);
		} else {
			at = (uint64_t)sector * 512 + d->bitmap + in;
			if (at > d->file.len || d->file.len - at < n)
				return -1;
			memcpy(buf, d->file.ptr + at, n);
		}
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}
