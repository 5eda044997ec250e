#include "vhd.h"

#include <string.h>

#include "bytes.h"

#define VHD_FOOTER 512
#define VHD_HEADER 1024

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
	uint64_t hdr = bytes_be64(footer + 16), covers;
	const uint8_t *h;

	if (hdr > f.len || f.len - hdr < VHD_HEADER ||
	    memcmp(f.ptr + hdr, "cxsparse", 8) != 0) {
		*why = "no dynamic disk header";
		return -1;
	}
	h = f.ptr + hdr;
	d->table = bytes_be64(h + 16);
	d->entries = bytes_be32(h + 28);
	d->block = bytes_be32(h + 32);
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

#define VHDX_KB 1024u
#define VHDX_MB (1024u * 1024u)

/* GUIDs as VHDX stores them (first three fields little-endian). */
static const uint8_t vhdx_bat[16] = {0x66, 0x77, 0xc2, 0x2d, 0x23, 0xf6,
				     0x00, 0x42, 0x9d, 0x64, 0x11, 0x5e,
				     0x9b, 0xfd, 0x4a, 0x08};
static const uint8_t vhdx_meta[16] = {0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47,
				      0x9a, 0x4b, 0xb8, 0xfe, 0x57, 0x5f,
				      0x05, 0x0f, 0x88, 0x6e};
static const uint8_t vhdx_params[16] = {0x37, 0x67, 0xa1, 0xca, 0x36, 0xfa,
					0x43, 0x4d, 0xb3, 0xb6, 0x33, 0xf0,
					0xaa, 0x44, 0xe7, 0x6b};
static const uint8_t vhdx_size[16] = {0x24, 0x42, 0xa5, 0x2f, 0x1b, 0xcd,
				      0x76, 0x48, 0xb2, 0x11, 0x5d, 0xbe,
				      0xd8, 0x3b, 0xf4, 0xb8};
static const uint8_t vhdx_sector[16] = {0x1d, 0xbf, 0x41, 0x81, 0x6f, 0xa9,
					0x09, 0x47, 0xba, 0x47, 0xf2, 0x33,
					0xa8, 0xfa, 0xab, 0x5f};

/* The metadata item id, 4 bytes or more of it: its bytes, or NULL. */
static const uint8_t *vhdx_item(struct span f, uint64_t meta, uint32_t len,
				const uint8_t *id, uint32_t need)
{
	uint32_t count;

	if (len < 32 || !span_has_at(f, meta, "metadata", 8))
		return NULL;
	count = bytes_le32(f.ptr + meta + 8) >> 16;
	for (uint32_t i = 0; i < count && i < 2047 && 32 + (i + 1) * 32 <= len;
	     i++) {
		const uint8_t *e = f.ptr + meta + 32 + i * 32;
		uint32_t off = bytes_le32(e + 16), n = bytes_le32(e + 20);
		if (memcmp(e, id, 16) != 0)
			continue;
		if (n < need || off > len || len - off < need)
			return NULL;
		return f.ptr + meta + off;
	}
	return NULL;
}

static int vhdx_open(struct disk *d, const char **why)
{
	struct span f = d->file;
	const uint8_t *h = NULL, *r, *p, *size, *sector;
	uint64_t bat = 0, meta = 0, seq = 0, entries, covers;
	uint32_t bat_len = 0, meta_len = 0, count;

	for (uint64_t at = 64 * VHDX_KB; at <= 128 * VHDX_KB;
	     at += 64 * VHDX_KB)
		if (span_has_at(f, at, "head", 4) && f.len - at >= 80 &&
		    (!h || bytes_le64(f.ptr + at + 8) > seq)) {
			h = f.ptr + at;
			seq = bytes_le64(h + 8);
		}
	if (!h) {
		*why = "VHDX without a header";
		return -1;
	}
	if (!span_has_at(f, 192 * VHDX_KB, "regi", 4) ||
	    f.len - 192 * VHDX_KB < 64 * VHDX_KB) {
		*why = "VHDX without a region table";
		return -1;
	}
	r = f.ptr + 192 * VHDX_KB;
	count = bytes_le32(r + 8);
	for (uint32_t i = 0; i < count && i < 2047; i++) {
		const uint8_t *e = r + 16 + i * 32;
		if (memcmp(e, vhdx_bat, 16) == 0) {
			bat = bytes_le64(e + 16);
			bat_len = bytes_le32(e + 24);
		} else if (memcmp(e, vhdx_meta, 16) == 0) {
			meta = bytes_le64(e + 16);
			meta_len = bytes_le32(e + 24);
		}
	}
	if (bat > f.len || f.len - bat < bat_len || meta > f.len ||
	    f.len - meta < meta_len) {
		*why = "VHDX region outside the file";
		return -1;
	}
	p = vhdx_item(f, meta, meta_len, vhdx_params, 8);
	size = vhdx_item(f, meta, meta_len, vhdx_size, 8);
	sector = vhdx_item(f, meta, meta_len, vhdx_sector, 4);
	if (!p || !size || !sector) {
		*why = "VHDX without its metadata";
		return -1;
	}
	if (bytes_le32(p + 4) & 2) {
		*why = "differencing disk, its data is in a parent";
		return -1;
	}
	d->block = bytes_le32(p);
	if (d->block < VHDX_MB || d->block > (256u << 20) ||
	    (d->block & (d->block - 1)) ||
	    (bytes_le32(sector) != 512 && bytes_le32(sector) != 4096)) {
		*why = "VHDX block or sector size out of range";
		return -1;
	}
	/* a sector bitmap entry after every chunk payload entries */
	d->chunk =
	    (uint32_t)(((uint64_t)1 << 23) * bytes_le32(sector) / d->block);
	d->size = bytes_le64(size);
	/* payload entries, with a bitmap entry after every chunk of them */
	entries = bat_len / 8;
	if (entries > VHD_TABLE_ENTRIES)
		entries = VHD_TABLE_ENTRIES;
	d->entries = (uint32_t)entries;
	covers = (entries - entries / (d->chunk + 1)) * d->block;
	if (d->size > covers)
		d->size = covers;
	d->table = bat;
	d->dynamic = 2;
	d->format = "vhdx";
	return 0;
}

int vhd_open(struct disk *d, struct span file, const char **why)
{
	const uint8_t *footer = NULL;
	uint32_t type;

	disk_raw(d, file);
	if (span_starts_with(file, "vhdxfile", 8))
		return vhdx_open(d, why);
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
	type = bytes_be32(footer + 60);
	d->size = bytes_be64(footer + 48);
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

		if (d->dynamic == 2) {
			uint64_t j = idx + idx / d->chunk, e;
			if (j >= d->entries)
				return -1;
			e = bytes_le64(d->file.ptr + d->table + j * 8);
			/* 6: fully present; others read as zeros */
			sector = (e & 7) == 6 ? 0 : 0xffffffffu;
			at = (e >> 20) * VHDX_MB + in;
		} else {
			if (idx >= d->entries)
				return -1;
			sector = bytes_be32(d->file.ptr + d->table + idx * 4);
			at = (uint64_t)sector * 512 + d->bitmap + in;
		}
		if (sector == 0xffffffffu) {
			memset(buf, 0, n);
		} else {
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
