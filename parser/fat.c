#include "fat.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "member.h"
#include "utf8.h"
#include "vhd.h"

struct fat_vol {
	struct scan_ctx *ctx;
	const struct part_ctx *part;
	struct member_limits *ml;
	const struct disk *d;
	uint64_t base;	       /* volume offset in the disk */
	uint64_t fat;	       /* offset of the first FAT */
	uint64_t root;	       /* FAT12/16: offset of the root directory */
	uint64_t data;	       /* offset of cluster 2 */
	uint32_t root_bytes;   /* FAT12/16 */
	uint32_t root_cluster; /* FAT32 */
	uint32_t cluster;      /* bytes per cluster */
	uint32_t clusters;     /* data clusters: 2 .. clusters + 1 */
	unsigned bits;	       /* 12, 16, 32 */
	unsigned dirs;	       /* directories read */
	uint32_t *seen;	       /* their first clusters */
	unsigned long long members;
	int trouble; /* archive.unsupported made for this volume */
	int stop;    /* a limit ends the walk */
};

static void fat_trouble(struct fat_vol *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fat_trouble(struct fat_vol *v, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	if (v->trouble)
		return;
	v->trouble = 1;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	scan_finding(v->ctx, "archive.unsupported", v->part->path, "fat: %s",
		     detail);
}

static int fat_open(struct fat_vol *v, const uint8_t *b)
{
	uint32_t bps = bytes_le16(b + 11), spc = b[13],
		 reserved = bytes_le16(b + 14);
	uint32_t nfats = b[16], root_entries = bytes_le16(b + 17);
	uint32_t total =
	    bytes_le16(b + 19) ? bytes_le16(b + 19) : bytes_le32(b + 32);
	uint32_t fatsz =
	    bytes_le16(b + 22) ? bytes_le16(b + 22) : bytes_le32(b + 36);
	uint64_t root_sectors = ((uint64_t)root_entries * 32 + bps - 1) / bps;
	uint64_t first_data = reserved + (uint64_t)nfats * fatsz + root_sectors;
	uint64_t entries;

	if (first_data >= total)
		return -1;
	v->clusters = (uint32_t)((total - first_data) / spc);
	v->bits = v->clusters < 4085 ? 12 : v->clusters < 65525 ? 16 : 32;
	if (v->bits == 32 && bytes_le16(b + 22) != 0)
		return -1;
	if (v->bits == 32 && v->clusters > 0x0ffffff5u)
		v->clusters = 0x0ffffff5u;
	/* no more clusters than one FAT has entries for */
	entries = (uint64_t)fatsz * bps * 8 / v->bits;
	if (entries < 2)
		return -1;
	if (entries - 2 < v->clusters)
		v->clusters = (uint32_t)(entries - 2);
	v->cluster = bps * spc;
	v->fat = v->base + (uint64_t)reserved * bps;
	v->root = v->fat + (uint64_t)nfats * fatsz * bps;
	v->root_bytes = (uint32_t)(root_sectors * bps);
	v->data = v->base + first_data * bps;
	v->root_cluster = v->bits == 32 ? bytes_le32(b + 44) & 0x0fffffffu : 0;
	return 0;
}

/* The FAT entry of cluster n: 0, or -1 when it cannot be read. */
static int fat_next(struct fat_vol *v, uint32_t n, uint32_t *next)
{
	uint8_t b[4];

	switch (v->bits) {
	case 12:
		if (disk_read(v->d, v->fat + n + n / 2, b, 2) < 0)
			return -1;
		*next = n & 1 ? bytes_le16(b) >> 4 : bytes_le16(b) & 0xfff;
		if (*next >= 0xff7)
			*next = 0x0ffffff7u + (*next >= 0xff8);
		return 0;
	case 16:
		if (disk_read(v->d, v->fat + (uint64_t)n * 2, b, 2) < 0)
			return -1;
		*next = bytes_le16(b);
		if (*next >= 0xfff7)
			*next = 0x0ffffff7u + (*next >= 0xfff8);
		return 0;
	default:
		if (disk_read(v->d, v->fat + (uint64_t)n * 4, b, 4) < 0)
			return -1;
		*next = bytes_le32(b) & 0x0fffffffu;
		return 0;
	}
}

static int fat_in_range(const struct fat_vol *v, uint32_t c)
{
	return c >= 2 && c - 2 < v->clusters;
}

/* A walk along one chain, with Brent's cycle check. */
struct chain {
	uint32_t at, tortoise;
	unsigned long long power, lam;
};

static void chain_start(struct chain *ch, uint32_t first)
{
	ch->at = ch->tortoise = first;
	ch->power = ch->lam = 1;
}

/* 1: next cluster in ch->at; 0: end of chain; -1: reported trouble. */
static int chain_step(struct fat_vol *v, struct chain *ch, const char *name)
{
	uint32_t next;

	if (fat_next(v, ch->at, &next) < 0) {
		fat_trouble(v, "%s: FAT entry of cluster %u past the image",
			    name, ch->at);
		return -1;
	}
	if (next >= 0x0ffffff8u)
		return 0;
	if (!fat_in_range(v, next)) {
		fat_trouble(v, "%s: cluster %u out of range", name, next);
		return -1;
	}
	ch->at = next;
	if (ch->at == ch->tortoise) {
		fat_trouble(v, "%s: cluster chain loops at %u", name, next);
		return -1;
	}
	if (ch->power == ch->lam) {
		ch->tortoise = ch->at;
		ch->power *= 2;
		ch->lam = 0;
	}
	ch->lam++;
	return 1;
}

/*
 * Up to want bytes of the chain from first into out; what binds when
 * less was read (MEMBER_CUT_NONE: the chain or the image ended). Returns
 * -1 when the chain broke, else 0.
 */
static int fat_read_chain(struct fat_vol *v, const char *name, uint32_t first,
			  uint64_t want, size_t cap, GByteArray *out,
			  enum member_cut *cut)
{
	struct chain ch;
	uint8_t *buf;
	int rc = 0;

	*cut = MEMBER_CUT_NONE;
	if (want == 0)
		return 0;
	if (!fat_in_range(v, first)) {
		fat_trouble(v, "%s: cluster %u out of range", name, first);
		return -1;
	}
	buf = g_malloc(v->cluster);
	chain_start(&ch, first);
	while (out->len < want) {
		enum member_cut why;
		size_t room = member_room(v->ml, out->len, cap, &why);
		size_t n = v->cluster;
		int step;

		if (want - out->len < n)
			n = (size_t)(want - out->len);
		if (room < n) {
			n = room;
			*cut = why;
		}
		if (n > 0 &&
		    disk_read(v->d,
			      v->data + (uint64_t)(ch.at - 2) * v->cluster, buf,
			      n) < 0) {
			fat_trouble(v, "%s: cluster %u past the image", name,
				    ch.at);
			rc = -1;
			break;
		}
		member_took(v->ml, n);
		g_byte_array_append(out, buf, (guint)n);
		if (*cut != MEMBER_CUT_NONE || out->len >= want)
			break;
		step = chain_step(v, &ch, name);
		if (step <= 0) {
			rc = step;
			break;
		}
	}
	g_free(buf);
	return rc;
}

/* An LFN being gathered from the entries before a short one. */
struct lfn {
	uint16_t units[20 * 13 + 1];
	unsigned next; /* sequence number expected next, 0: none */
	uint8_t sum;
	int whole;
};

static void lfn_take(struct lfn *l, const uint8_t *e)
{
	static const uint8_t at[13] = {1,  3,  5,  7,  9,  14, 16,
				       18, 20, 22, 24, 28, 30};
	unsigned seq = e[0] & 0x1f;

	if (e[0] & 0x40) {
		memset(l->units, 0, sizeof(l->units));
		l->sum = e[13];
		l->next = seq;
		l->whole = 0;
	}
	if (seq == 0 || seq > 20 || seq != l->next || e[13] != l->sum) {
		l->next = 0;
		return;
	}
	for (unsigned i = 0; i < 13; i++)
		l->units[(seq - 1) * 13 + i] = (uint16_t)bytes_le16(e + at[i]);
	l->next = seq - 1;
	l->whole = seq == 1;
}

static uint8_t lfn_checksum(const uint8_t *e)
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + e[i]);
	return sum;
}

/* UTF-16LE units up to a NUL as UTF-8 (lone surrogates: U+FFFD). */
static char *lfn_utf8(const uint16_t *u, size_t max)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < max && u[i]; i++) {
		gunichar c = u[i];
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < max &&
		    u[i + 1] >= 0xdc00 && u[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    (u[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		g_string_append_unichar(s, c);
	}
	return g_string_free(s, FALSE);
}

/* An 8.3 name ("INVOICE.LNK"), its OEM bytes repaired as UTF-8. */
static char *short_name(const uint8_t *e)
{
	char raw[13];
	size_t n = 0, base = 8, ext = 3;

	while (base > 0 && e[base - 1] == ' ')
		base--;
	while (ext > 0 && e[8 + ext - 1] == ' ')
		ext--;
	memcpy(raw, e, base);
	n = base;
	if (n > 0 && (uint8_t)raw[0] == 0x05)
		raw[0] = (char)0xe5;
	if (e[12] & 0x08) /* Windows NT: base name in lower case */
		for (size_t i = 0; i < base; i++)
			raw[i] = (char)g_ascii_tolower(raw[i]);
	if (ext > 0) {
		raw[n++] = '.';
		memcpy(raw + n, e + 8, ext);
		if (e[12] & 0x10) /* and the extension */
			for (size_t i = 0; i < ext; i++)
				raw[n + i] = (char)g_ascii_tolower(raw[n + i]);
		n += ext;
	}
	return utf8_repair(raw, n);
}

static void fat_dir(struct fat_vol *v, const char *prefix, uint32_t first,
		    unsigned depth);

static void fat_file(struct fat_vol *v, const char *name, const uint8_t *e)
{
	uint32_t first =
	    bytes_le16(e + 26) | (v->bits == 32 ? bytes_le16(e + 20) << 16 : 0);
	uint32_t size = bytes_le32(e + 28);
	GByteArray *data;
	enum member_cut cut;
	size_t cap;
	int reported, rc;

	if (member_next(v->ml, ++v->members)) {
		v->stop = 1;
		return;
	}
	cap = member_cap(v->ml, name, 1, size, v->part->content.len, &reported);
	data = g_byte_array_new();
	rc = fat_read_chain(v, name, first, size, cap, data, &cut);
	if (rc == 0 && cut == MEMBER_CUT_NONE && data->len < size)
		fat_trouble(v, "%s: chain ends before %u bytes", name, size);
	member_report_cut(v->ml, name, cut, reported);
	dispatch_child(v->ctx, v->part, name, span_make(data->data, data->len),
		       data->len < size);
	g_byte_array_unref(data);
}

/* One directory entry; e is 32 bytes. */
static void fat_entry(struct fat_vol *v, const char *prefix, const uint8_t *e,
		      struct lfn *l, unsigned depth)
{
	uint8_t attr = e[11];
	char *name, *path;

	if (attr == 0x0f) {
		lfn_take(l, e);
		return;
	}
	if (attr & 0x08 || e[0] == '.') { /* volume label, "." and ".." */
		l->next = 0;
		l->whole = 0;
		return;
	}
	if (l->whole && l->sum == lfn_checksum(e))
		name = lfn_utf8(l->units, sizeof(l->units) / 2);
	else
		name = short_name(e);
	l->next = 0;
	l->whole = 0;
	if (!name)
		return;
	path =
	    *prefix ? g_strdup_printf("%s/%s", prefix, name) : g_strdup(name);
	free(name);
	if (attr & 0x10)
		fat_dir(v, path,
			bytes_le16(e + 26) |
			    (v->bits == 32 ? bytes_le16(e + 20) << 16 : 0),
			depth + 1);
	else
		fat_file(v, path, e);
	g_free(path);
}

static void fat_entries(struct fat_vol *v, const char *prefix,
			const GByteArray *dir, unsigned depth)
{
	struct lfn l = {0};

	for (size_t off = 0; off + 32 <= dir->len && !v->stop; off += 32) {
		const uint8_t *e = dir->data + off;
		if (e[0] == 0)
			break;
		if (e[0] == 0xe5) {
			l.next = 0;
			l.whole = 0;
			continue;
		}
		fat_entry(v, prefix, e, &l, depth);
	}
}

/* A subdirectory (first != 0) or the root (first == 0). */
static void fat_dir(struct fat_vol *v, const char *prefix, uint32_t first,
		    unsigned depth)
{
	GByteArray *dir;
	enum member_cut cut = MEMBER_CUT_NONE;
	const char *what = *prefix ? prefix : "/";

	if (v->stop)
		return;
	if (depth > FAT_DEPTH) {
		fat_trouble(v, "%s: directories over %d deep", what, FAT_DEPTH);
		return;
	}
	if (first == 0 && depth > 0) {
		fat_trouble(v, "%s: directory at cluster 0", what);
		return;
	}
	if (first == 0)
		first = v->root_cluster; /* 0 unless FAT32 */
	for (unsigned i = 0; i < v->dirs; i++)
		if (v->seen[i] == first) {
			fat_trouble(v, "%s: directory loop at cluster %u", what,
				    first);
			return;
		}
	if (v->dirs >= FAT_DIRS) {
		fat_trouble(v, "%s: over %d directories", what, FAT_DIRS);
		return;
	}
	v->seen[v->dirs++] = first;
	dir = g_byte_array_new();
	if (first == 0) {
		size_t n = v->root_bytes < FAT_DIR_BYTES ? v->root_bytes
							 : FAT_DIR_BYTES;
		enum member_cut why;
		size_t room = member_room(v->ml, 0, n, &why);
		if (room < n) {
			n = room;
			cut = why;
		}
		g_byte_array_set_size(dir, (guint)n);
		if (disk_read(v->d, v->root, dir->data, n) < 0) {
			fat_trouble(v, "%s: root directory past the image",
				    what);
			g_byte_array_set_size(dir, 0);
		}
		member_took(v->ml, dir->len);
	} else {
		fat_read_chain(v, what, first, FAT_DIR_BYTES, FAT_DIR_BYTES,
			       dir, &cut);
	}
	if (cut != MEMBER_CUT_NONE && cut != MEMBER_CUT_SIZE) {
		member_report_cut(v->ml, what, cut, 0);
		v->stop = 1;
	}
	fat_entries(v, prefix, dir, depth);
	g_byte_array_unref(dir);
}

static void fat_volume(struct scan_ctx *ctx, const struct part_ctx *part,
		       struct member_limits *ml, const struct disk *d,
		       uint64_t base, const uint8_t *boot)
{
	struct fat_vol v = {
	    .ctx = ctx, .part = part, .ml = ml, .d = d, .base = base};

	if (fat_open(&v, boot) < 0) {
		scan_finding(ctx, "archive.unsupported", part->path,
			     "fat: boot sector at %llu: inconsistent sizes",
			     (unsigned long long)base);
		return;
	}
	v.seen = g_new(uint32_t, FAT_DIRS);
	fat_dir(&v, "", 0, 0);
	g_free(v.seen);
}

/* The volumes walked, so that partitions that share one walk it once. */
struct fat_seen {
	uint64_t lba[4 + FAT_GPT_ENTRIES];
	unsigned n;
};

/* The FAT volume at LBA lba, if its first sector is a boot sector. */
static int fat_try(struct scan_ctx *ctx, const struct part_ctx *part,
		   struct member_limits *ml, const struct disk *d, uint64_t lba,
		   struct fat_seen *seen)
{
	uint8_t boot[512];

	for (unsigned i = 0; i < seen->n; i++)
		if (seen->lba[i] == lba)
			return 0;
	if (lba > UINT64_MAX / 512 || disk_read(d, lba * 512, boot, 512) < 0 ||
	    !filetype_fat_boot(boot) ||
	    seen->n >= sizeof(seen->lba) / sizeof(seen->lba[0]))
		return 0;
	seen->lba[seen->n++] = lba;
	fat_volume(ctx, part, ml, d, lba * 512, boot);
	return 1;
}

static unsigned fat_gpt(struct scan_ctx *ctx, const struct part_ctx *part,
			struct member_limits *ml, const struct disk *d,
			struct fat_seen *seen)
{
	uint8_t h[512], e[128];
	uint64_t at;
	uint32_t count, size;
	unsigned found = 0;

	if (disk_read(d, 512, h, 512) < 0 || memcmp(h, "EFI PART", 8) != 0)
		return 0;
	at = bytes_le64(h + 72);
	count = bytes_le32(h + 80);
	size = bytes_le32(h + 84);
	if (size < 128 || size > 4096 || at > UINT64_MAX / 512)
		return 0;
	for (uint32_t i = 0; i < count && i < FAT_GPT_ENTRIES; i++) {
		static const uint8_t unused[16];
		if (disk_read(d, at * 512 + (uint64_t)i * size, e, 128) < 0)
			break;
		if (memcmp(e, unused, 16) != 0)
			found +=
			    fat_try(ctx, part, ml, d, bytes_le64(e + 32), seen);
	}
	return found;
}

static unsigned fat_volumes(struct scan_ctx *ctx, const struct part_ctx *part,
			    struct member_limits *ml, const struct disk *d)
{
	struct fat_seen seen = {.n = 0};
	uint8_t mbr[512];
	unsigned found = 0;
	int gpt = 0;

	if (disk_read(d, 0, mbr, 512) < 0)
		return 0;
	if (filetype_fat_boot(mbr))
		return fat_try(ctx, part, ml, d, 0, &seen);
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = mbr + 446 + 16 * i;
		if (p[4] == 0xee) {
			if (!gpt)
				found += fat_gpt(ctx, part, ml, d, &seen);
			gpt = 1;
		} else if (p[4] != 0 && bytes_le32(p + 8) != 0)
			found +=
			    fat_try(ctx, part, ml, d, bytes_le32(p + 8), &seen);
	}
	return found;
}

int fat_analyze(struct scan_ctx *ctx, const struct part_ctx *part)
{
	struct member_limits ml;
	struct disk d;
	const char *why;

	if (ctx->nesting >= ctx->limits->nesting_depth) {
		scan_finding(ctx, "archive.depth_exceeded", part->path,
			     "nesting over %u", ctx->limits->nesting_depth);
		return 0;
	}
	if (part->type == FT_VHD) {
		if (vhd_open(&d, part->content, &why) < 0) {
			scan_finding(ctx, "archive.unsupported", part->path,
				     "vhd: %s", why);
			return 0;
		}
	} else {
		disk_raw(&d, part->content);
	}
	member_limits_init(&ml, ctx, part);
	if (fat_volumes(ctx, part, &ml, &d) == 0)
		scan_finding(ctx, "archive.unsupported", part->path,
			     "%s: no FAT volume found", d.format);
	return 0;
}
