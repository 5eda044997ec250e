/*
 * cfb - MS-CFB compound files from memory; see cfb.h for what is read,
 * what is refused and the limits. Sector ids at or above MAXREGSECT end a
 * chain; every id is checked against the sectors the file holds.
 */
#include "cfb.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "utf8.h"

#define CFB_MAXREGSECT	 0xFFFFFFFAu
#define CFB_ENDOFCHAIN	 0xFFFFFFFEu
#define CFB_HEADER_SIZE	 512
#define CFB_DIRENT_SIZE	 128
#define CFB_MINI_SHIFT	 6
#define CFB_MINI_CUTOFF	 4096
#define CFB_HEADER_DIFAT 109

static const uint8_t cfb_signature[8] = {0xD0, 0xCF, 0x11, 0xE0,
					 0xA1, 0xB1, 0x1A, 0xE1};

int cfb_is_cfb(struct span file)
{
	return span_starts_with(file, cfb_signature, sizeof(cfb_signature));
}

const char *cfb_strerror(int status)
{
	switch (status) {
	case CFB_OK: return "ok";
	case CFB_E_FORMAT: return "malformed compound file";
	case CFB_E_BUDGET: return "decoded bytes budget exhausted";
	case CFB_E_NOMEM: return "out of memory";
	default: return "error";
	}
}

static size_t cfb_sector_size(const struct cfb *c)
{
	return (size_t)1 << c->sector_shift;
}

/* The bytes of sector id (the last one may be short). */
static int cfb_sector(const struct cfb *c, uint32_t id, struct span *out)
{
	size_t ss = cfb_sector_size(c), off;

	if (id >= c->nsectors)
		return CFB_E_FORMAT;
	off = ((size_t)id + 1) << c->sector_shift;
	*out = span_make(c->file.ptr + off,
			 c->file.len - off < ss ? c->file.len - off : ss);
	return CFB_OK;
}

struct cfb_bitmap {
	uint8_t *bits;
};

static int cfb_bitmap_init(struct cfb_bitmap *b, uint32_t n)
{
	b->bits = calloc((size_t)n / 8 + 1, 1);
	return b->bits ? CFB_OK : CFB_E_NOMEM;
}

/* Marks i; returns 1 when it was marked already. */
static int cfb_bitmap_mark(struct cfb_bitmap *b, uint32_t i)
{
	uint8_t m = (uint8_t)(1u << (i & 7));

	if (b->bits[i / 8] & m)
		return 1;
	b->bits[i / 8] |= m;
	return 0;
}

/*
 * Follows a chain from start through table (ntable entries) over units
 * 0..nunits-1: at most max ids into ids; *n is how many. Stops at an end
 * marker; a loop or an id out of range is an error.
 */
static int cfb_chain(const uint32_t *table, uint32_t ntable, uint32_t nunits,
		     uint32_t start, uint32_t max, uint32_t *ids, uint32_t *n)
{
	struct cfb_bitmap seen;
	uint32_t cur = start, count = 0;
	int rc;

	if ((rc = cfb_bitmap_init(&seen, nunits)) < 0)
		return rc;
	while (count < max && cur < CFB_MAXREGSECT) {
		if (cur >= nunits || cur >= ntable ||
		    cfb_bitmap_mark(&seen, cur)) {
			free(seen.bits);
			return CFB_E_FORMAT;
		}
		ids[count++] = cur;
		cur = table[cur];
	}
	free(seen.bits);
	*n = count;
	return CFB_OK;
}

/* Copies the sectors of a chain of known length into one buffer. */
static int cfb_gather(const struct cfb *c, const uint32_t *ids, uint32_t n,
		      size_t len, uint8_t *out)
{
	size_t ss = cfb_sector_size(c), done = 0;

	for (uint32_t i = 0; i < n && done < len; i++) {
		struct span s;
		size_t take;
		if (cfb_sector(c, ids[i], &s) < 0)
			return CFB_E_FORMAT;
		take = len - done < ss ? len - done : ss;
		if (s.len < take) {
			memcpy(out + done, s.ptr, s.len);
			memset(out + done + s.len, 0, take - s.len);
		} else {
			memcpy(out + done, s.ptr, take);
		}
		done += take;
	}
	return done == len ? CFB_OK : CFB_E_FORMAT;
}

/* A whole FAT chain of unknown length (directory, MiniFAT). */
static int cfb_read_chain(const struct cfb *c, uint32_t start, uint8_t **buf,
			  size_t *len)
{
	uint32_t *ids, n = 0;
	int rc;

	*buf = NULL;
	*len = 0;
	if (start >= CFB_MAXREGSECT)
		return CFB_OK;
	ids = malloc(((size_t)c->nsectors + 1) * sizeof(*ids));
	if (!ids)
		return CFB_E_NOMEM;
	rc = cfb_chain(c->fat, c->nfat, c->nsectors, start, c->nsectors, ids,
		       &n);
	if (rc == CFB_OK && n > 0) {
		*len = (size_t)n << c->sector_shift;
		*buf = malloc(*len);
		if (!*buf)
			rc = CFB_E_NOMEM;
		else
			rc = cfb_gather(c, ids, n, *len, *buf);
	}
	free(ids);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}

/* One more FAT sector: never more of them than the file has sectors. */
static int cfb_fat_add(const struct cfb *c, uint32_t *ids, uint32_t *count,
		       uint32_t id)
{
	if (*count >= c->nsectors)
		return CFB_E_FORMAT;
	ids[(*count)++] = id;
	return CFB_OK;
}

/* The FAT sector ids: the header's 109, then the DIFAT chain. */
static int cfb_fat_sectors(const struct cfb *c, uint32_t **out, uint32_t *n)
{
	const uint8_t *h = c->file.ptr;
	uint32_t per = (uint32_t)(cfb_sector_size(c) / 4) - 1;
	uint32_t *ids, count = 0, next = bytes_le32(h + 68);
	struct cfb_bitmap seen;
	int rc;

	ids = malloc(((size_t)c->nsectors + 1) * sizeof(*ids));
	if (!ids)
		return CFB_E_NOMEM;
	if ((rc = cfb_bitmap_init(&seen, c->nsectors)) < 0) {
		free(ids);
		return rc;
	}
	for (uint32_t i = 0; i < CFB_HEADER_DIFAT && rc == CFB_OK; i++) {
		uint32_t id = bytes_le32(h + 76 + 4 * i);
		if (id >= CFB_MAXREGSECT)
			break;
		rc = cfb_fat_add(c, ids, &count, id);
	}
	if (rc < 0)
		goto out;
	while (next < CFB_MAXREGSECT) {
		struct span s;
		if (cfb_sector(c, next, &s) < 0 ||
		    cfb_bitmap_mark(&seen, next) ||
		    s.len < cfb_sector_size(c)) {
			rc = CFB_E_FORMAT;
			goto out;
		}
		for (uint32_t i = 0; i < per && rc == CFB_OK; i++) {
			uint32_t id = bytes_le32(s.ptr + 4 * i);
			if (id < CFB_MAXREGSECT)
				rc = cfb_fat_add(c, ids, &count, id);
		}
		if (rc < 0)
			goto out;
		next = bytes_le32(s.ptr + 4 * per);
	}
out:
	free(seen.bits);
	if (rc < 0) {
		free(ids);
		return rc;
	}
	*out = ids;
	*n = count;
	return CFB_OK;
}

static int cfb_load_fat(struct cfb *c)
{
	uint32_t *ids, n, per = (uint32_t)(cfb_sector_size(c) / 4);
	int rc = cfb_fat_sectors(c, &ids, &n);

	if (rc < 0)
		return rc;
	if (n == 0) {
		free(ids);
		return CFB_E_FORMAT;
	}
	c->fat = malloc((size_t)n * per * sizeof(uint32_t));
	if (!c->fat) {
		free(ids);
		return CFB_E_NOMEM;
	}
	c->nfat = n * per;
	for (uint32_t i = 0; i < n; i++) {
		struct span s;
		if (cfb_sector(c, ids[i], &s) < 0) {
			free(ids);
			return CFB_E_FORMAT;
		}
		for (uint32_t j = 0; j < per; j++)
			c->fat[i * per + j] = 4 * (size_t)j + 4 <= s.len
						  ? bytes_le32(s.ptr + 4 * j)
						  : 0xFFFFFFFFu;
	}
	free(ids);
	return CFB_OK;
}

static int cfb_load_minifat(struct cfb *c)
{
	uint8_t *buf;
	size_t len;
	int rc = cfb_read_chain(c, bytes_le32(c->file.ptr + 60), &buf, &len);

	if (rc < 0 || !buf)
		return rc;
	c->nminifat = (uint32_t)(len / 4);
	c->minifat = malloc((size_t)c->nminifat * sizeof(uint32_t));
	if (!c->minifat) {
		free(buf);
		return CFB_E_NOMEM;
	}
	for (uint32_t i = 0; i < c->nminifat; i++)
		c->minifat[i] = bytes_le32(buf + 4 * i);
	free(buf);
	return CFB_OK;
}

static void cfb_entry_name(const uint8_t *raw, struct cfb_entry *e)
{
	unsigned nunits = bytes_le16(raw + 64) / 2, o = 0;

	if (nunits > 31)
		nunits = 31;
	for (unsigned i = 0; i < nunits; i++) {
		unsigned u = bytes_le16(raw + 2 * i);
		if (u == 0)
			break;
		if (u >= 0xD800 && u < 0xE000)
			u = 0xFFFD;
		o += utf8_encode(u, e->name + o);
	}
	e->name[o] = '\0';
}

/* Sets every entry's parent by walking the tree from the root once. */
static int cfb_link_tree(struct cfb *c)
{
	struct cfb_bitmap seen;
	uint32_t *stack, top = 0;
	int rc;

	if ((rc = cfb_bitmap_init(&seen, c->ndir)) < 0)
		return rc;
	stack = malloc((size_t)c->ndir * sizeof(*stack));
	if (!stack) {
		free(seen.bits);
		return CFB_E_NOMEM;
	}
	cfb_bitmap_mark(&seen, 0);
	c->dir[0].parent = CFB_NONE;
	if (c->dir[0].child < c->ndir &&
	    !cfb_bitmap_mark(&seen, c->dir[0].child)) {
		c->dir[c->dir[0].child].parent = 0;
		stack[top++] = c->dir[0].child;
	}
	while (top > 0) {
		uint32_t id = stack[--top];
		struct cfb_entry *e = &c->dir[id];
		uint32_t links[3] = {e->left, e->right, e->child};
		for (int i = 0; i < 3; i++) {
			uint32_t to = links[i];
			if (i == 2 && e->type != CFB_STORAGE)
				break;
			if (to >= c->ndir || cfb_bitmap_mark(&seen, to))
				continue;
			c->dir[to].parent = i == 2 ? id : e->parent;
			stack[top++] = to;
		}
	}
	free(stack);
	free(seen.bits);
	return CFB_OK;
}

static int cfb_load_dir(struct cfb *c)
{
	uint8_t *buf;
	size_t len;
	int rc = cfb_read_chain(c, bytes_le32(c->file.ptr + 48), &buf, &len);

	if (rc < 0)
		return rc;
	c->ndir = (uint32_t)(len / CFB_DIRENT_SIZE);
	if (c->ndir == 0 || buf[66] != CFB_ROOT) {
		free(buf);
		return CFB_E_FORMAT;
	}
	c->dir = calloc(c->ndir, sizeof(*c->dir));
	if (!c->dir) {
		free(buf);
		return CFB_E_NOMEM;
	}
	for (uint32_t i = 0; i < c->ndir; i++) {
		const uint8_t *raw = buf + (size_t)i * CFB_DIRENT_SIZE;
		struct cfb_entry *e = &c->dir[i];
		cfb_entry_name(raw, e);
		e->type = raw[66];
		e->left = bytes_le32(raw + 68);
		e->right = bytes_le32(raw + 72);
		e->child = bytes_le32(raw + 76);
		e->start = bytes_le32(raw + 116);
		e->size = bytes_le32(raw + 120);
		if (c->sector_shift == 12)
			e->size |= (uint64_t)bytes_le32(raw + 124) << 32;
		e->parent = CFB_NONE;
	}
	free(buf);
	return cfb_link_tree(c);
}

int cfb_open(struct cfb *c, struct span file, struct scan_ctx *ctx)
{
	const uint8_t *h = file.ptr;
	unsigned shift;
	int rc;

	memset(c, 0, sizeof(*c));
	c->file = file;
	c->ctx = ctx;
	if (file.len < CFB_HEADER_SIZE || !cfb_is_cfb(file))
		return CFB_E_FORMAT;
	shift = bytes_le16(h + 30);
	if ((shift != 9 && shift != 12) || bytes_le16(h + 32) != CFB_MINI_SHIFT)
		return CFB_E_FORMAT;
	c->sector_shift = shift;
	if (file.len <= ((size_t)1 << shift))
		return CFB_E_FORMAT;
	c->nsectors = (uint32_t)((file.len - ((size_t)1 << shift) +
				  ((size_t)1 << shift) - 1) >>
				 shift);
	if ((rc = cfb_load_fat(c)) < 0 || (rc = cfb_load_minifat(c)) < 0 ||
	    (rc = cfb_load_dir(c)) < 0) {
		cfb_close(c);
		return rc;
	}
	return CFB_OK;
}

void cfb_close(struct cfb *c)
{
	free(c->fat);
	free(c->minifat);
	free(c->dir);
	free(c->mini);
	memset(c, 0, sizeof(*c));
}

int cfb_child(const struct cfb *c, uint32_t storage, const char *name,
	      uint32_t *id)
{
	for (uint32_t i = 0; i < c->ndir; i++)
		if (c->dir[i].parent == storage &&
		    strcasecmp(c->dir[i].name, name) == 0) {
			*id = i;
			return 0;
		}
	return 1;
}

static int cfb_take_budget(struct cfb *c, size_t len)
{
	if (c->ctx->budget_left < len)
		return CFB_E_BUDGET;
	scan_budget_take(c->ctx, len);
	return CFB_OK;
}

/*
 * Charges size bytes to the budget and allocates the buffer for them and
 * the id list of a chain of nneed units.
 */
static int cfb_stream_alloc(struct cfb *c, size_t size, size_t nneed,
			    uint32_t **ids, uint8_t **buf)
{
	int rc;

	if ((rc = cfb_take_budget(c, size)) < 0)
		return rc;
	*ids = malloc((nneed + 1) * sizeof(**ids));
	*buf = malloc(size + 1);
	if (!*ids || !*buf) {
		free(*ids);
		free(*buf);
		*buf = NULL;
		return CFB_E_NOMEM;
	}
	return CFB_OK;
}

/* size bytes of the FAT chain from start, into a new buffer. */
static int cfb_read_fat_stream(struct cfb *c, uint32_t start, uint64_t size,
			       uint8_t **buf)
{
	uint64_t nneed = (size + cfb_sector_size(c) - 1) >> c->sector_shift;
	uint32_t *ids, n = 0;
	int rc;

	if (nneed > c->nsectors)
		return CFB_E_FORMAT;
	rc = cfb_stream_alloc(c, (size_t)size, (size_t)nneed, &ids, buf);
	if (rc < 0)
		return rc;
	rc = cfb_chain(c->fat, c->nfat, c->nsectors, start, (uint32_t)nneed,
		       ids, &n);
	if (rc == CFB_OK)
		rc = n == nneed ? cfb_gather(c, ids, n, (size_t)size, *buf)
				: CFB_E_FORMAT;
	free(ids);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

static int cfb_load_mini(struct cfb *c)
{
	const struct cfb_entry *root = &c->dir[0];
	int rc;

	if (c->mini_loaded)
		return CFB_OK;
	if (root->size > 0) {
		rc = cfb_read_fat_stream(c, root->start, root->size, &c->mini);
		if (rc < 0)
			return rc;
		c->mini_len = (size_t)root->size;
	}
	c->mini_loaded = 1;
	return CFB_OK;
}

static int cfb_read_mini_stream(struct cfb *c, uint32_t start, size_t size,
				uint8_t **buf)
{
	uint32_t nunits, nneed = (uint32_t)((size + 63) >> CFB_MINI_SHIFT);
	uint32_t *ids, n = 0;
	size_t done = 0;
	int rc;

	if ((rc = cfb_load_mini(c)) < 0)
		return rc;
	nunits = (uint32_t)((c->mini_len + 63) >> CFB_MINI_SHIFT);
	if (nneed > nunits)
		return CFB_E_FORMAT;
	if ((rc = cfb_stream_alloc(c, size, nneed, &ids, buf)) < 0)
		return rc;
	rc = cfb_chain(c->minifat, c->nminifat, nunits, start, nneed, ids, &n);
	if (rc == CFB_OK && n != nneed)
		rc = CFB_E_FORMAT;
	for (uint32_t i = 0; rc == CFB_OK && i < n; i++) {
		size_t off = (size_t)ids[i] << CFB_MINI_SHIFT;
		size_t take = size - done < 64 ? size - done : 64;
		size_t have =
		    c->mini_len - off < take ? c->mini_len - off : take;
		memcpy(*buf + done, c->mini + off, have);
		memset(*buf + done + have, 0, take - have);
		done += take;
	}
	free(ids);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

int cfb_read(struct cfb *c, uint32_t id, uint8_t **buf, size_t *len)
{
	const struct cfb_entry *e;
	int rc;

	*buf = NULL;
	*len = 0;
	if (id >= c->ndir || c->dir[id].type != CFB_STREAM)
		return CFB_E_FORMAT;
	e = &c->dir[id];
	if (e->size == 0) {
		*buf = malloc(1);
		return *buf ? CFB_OK : CFB_E_NOMEM;
	}
	if (e->size > c->file.len)
		return CFB_E_FORMAT;
	if (e->size < CFB_MINI_CUTOFF)
		rc = cfb_read_mini_stream(c, e->start, (size_t)e->size, buf);
	else
		rc = cfb_read_fat_stream(c, e->start, e->size, buf);
	if (rc == CFB_OK)
		*len = (size_t)e->size;
	return rc;
}
