/*
 * cfb_extract - one storage of a compound file written out as a compound
 * file of its own (version 4, 4096-byte sectors, small streams in the mini
 * stream); see cfb.h. Every stream is read with cfb_read (charged to the
 * budget), the file written is charged too; the sizes of what is written
 * come from the streams really read, never from a header.
 */
#include "cfb.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"

#define X_SECTOR     4096u
#define X_PER_FAT    (X_SECTOR / 4)
#define X_PER_DIR    (X_SECTOR / 128)
#define X_MINI	     64u
#define X_CUTOFF     4096u
#define X_HEADER_FAT 109u
#define X_FREESECT   0xFFFFFFFFu
#define X_ENDOFCHAIN 0xFFFFFFFEu
#define X_FATSECT    0xFFFFFFFDu

struct x_item {
	uint32_t src; /* entry in the source; CFB_NONE for the root */
	uint32_t child, right, last;
	uint32_t start;
	uint8_t *data;
	size_t len;
};

/*
 * in[i] = 1 for every entry below storage (its streams and storages, at
 * any depth). Each entry's parent chain is walked once: a walk stops at an
 * entry already known and the entries it passed are then marked.
 */
int cfb_subtree(const struct cfb *c, uint32_t storage, uint8_t *in)
{
	uint8_t *known = calloc(c->ndir ? c->ndir : 1, 1);

	if (!known)
		return CFB_E_NOMEM;
	memset(in, 0, c->ndir);
	for (uint32_t i = 0; i < c->ndir; i++) {
		uint32_t j = c->dir[i].parent, steps = 0;
		uint8_t r = 0;
		if (known[i])
			continue;
		while (j != CFB_NONE && j < c->ndir && j != storage &&
		       !known[j] && steps++ < c->ndir)
			j = c->dir[j].parent;
		if (j == storage)
			r = 1;
		else if (j != CFB_NONE && j < c->ndir && known[j])
			r = in[j];
		for (uint32_t k = i, n = 0;
		     k < c->ndir && k != j && !known[k] && n <= steps;
		     k = c->dir[k].parent, n++) {
			known[k] = 1;
			in[k] = r && k != storage;
		}
	}
	free(known);
	return CFB_OK;
}

/* A directory entry: the UTF-8 name back to UTF-16 (31 units at most). */
static void x_dirent(uint8_t *p, const char *name, uint8_t type,
		     const struct x_item *it)
{
	const uint8_t *s = (const uint8_t *)name;
	unsigned n = 0;

	while (*s && n < 31) {
		unsigned u = *s++;
		if (u >= 0xE0 && s[0] && s[1]) {
			u = (u & 0x0F) << 12 | (s[0] & 0x3Fu) << 6 |
			    (s[1] & 0x3Fu);
			s += 2;
		} else if (u >= 0xC0 && s[0]) {
			u = (u & 0x1F) << 6 | (s[0] & 0x3Fu);
			s++;
		}
		bytes_put_le16(p + 2 * n++, u);
	}
	bytes_put_le16(p + 64, (n + 1) * 2);
	p[66] = type;
	p[67] = 1; /* black */
	bytes_put_le32(p + 68, CFB_NONE);
	bytes_put_le32(p + 72, it->right);
	bytes_put_le32(p + 76, it->child);
	bytes_put_le32(p + 116, it->start);
	bytes_put_le32(p + 120, (uint32_t)it->len);
	bytes_put_le32(p + 124, (uint32_t)((uint64_t)it->len >> 32));
}

static uint32_t x_sectors(size_t len)
{
	return (uint32_t)((len + X_SECTOR - 1) / X_SECTOR);
}

/* Writes a chain of n sectors from start into the FAT. */
static void x_chain(uint32_t *fat, uint32_t start, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		fat[start + i] = i + 1 < n ? start + i + 1 : X_ENDOFCHAIN;
}

static void x_free_items(struct x_item *it, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(it[i].data);
	free(it);
}

/* Sector s of the output (the header takes the first 4096 bytes). */
static uint8_t *x_sector(uint8_t *out, uint32_t s)
{
	return out + (size_t)(s + 1) * X_SECTOR;
}

static int x_write(const struct cfb *c, struct x_item *it, uint32_t n,
		   uint8_t **buf, size_t *len)
{
	size_t mini_len = 0, total;
	uint32_t next = 0, nmini, mini_start, minifat_start, nminifat,
		 dir_start, ndirsec, nfat, ndata;
	uint32_t *fat;
	uint8_t *out;

	/* big streams first, then the mini stream, MiniFAT, directory */
	for (uint32_t i = 1; i < n; i++) {
		if (it[i].src == CFB_NONE ||
		    c->dir[it[i].src].type != CFB_STREAM)
			continue;
		if (it[i].len == 0) {
			it[i].start = X_ENDOFCHAIN;
		} else if (it[i].len < X_CUTOFF) {
			it[i].start = (uint32_t)(mini_len / X_MINI);
			mini_len += (it[i].len + X_MINI - 1) / X_MINI * X_MINI;
		} else {
			it[i].start = next;
			next += x_sectors(it[i].len);
		}
	}
	nmini = (uint32_t)(mini_len / X_MINI);
	mini_start = mini_len ? next : X_ENDOFCHAIN;
	next += x_sectors(mini_len);
	nminifat = x_sectors((size_t)nmini * 4);
	minifat_start = nminifat ? next : X_ENDOFCHAIN;
	next += nminifat;
	ndirsec = (n + X_PER_DIR - 1) / X_PER_DIR;
	dir_start = next;
	next += ndirsec;
	ndata = next;
	for (nfat = 1; (uint64_t)nfat * X_PER_FAT < (uint64_t)ndata + nfat;)
		nfat++;
	if (nfat > X_HEADER_FAT)
		return CFB_E_BUDGET;
	total = (size_t)(ndata + nfat + 1) * X_SECTOR;
	if (c->ctx->budget_left < total)
		return CFB_E_BUDGET;
	scan_budget_take(c->ctx, total);
	if (!(out = calloc(total, 1)))
		return CFB_E_NOMEM;
	fat = malloc((size_t)nfat * X_PER_FAT * 4);
	if (!fat) {
		free(out);
		return CFB_E_NOMEM;
	}
	memset(fat, 0xFF, (size_t)nfat * X_PER_FAT * 4);

	/* header */
	memcpy(out, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	bytes_put_le16(out + 24, 0x003E);
	bytes_put_le16(out + 26, 0x0004);
	bytes_put_le16(out + 28, 0xFFFE);
	bytes_put_le16(out + 30, 12);
	bytes_put_le16(out + 32, 6);
	bytes_put_le32(out + 40, ndirsec);
	bytes_put_le32(out + 44, nfat);
	bytes_put_le32(out + 48, dir_start);
	bytes_put_le32(out + 56, X_CUTOFF);
	bytes_put_le32(out + 60, minifat_start);
	bytes_put_le32(out + 64, nminifat);
	bytes_put_le32(out + 68, X_ENDOFCHAIN);
	for (uint32_t i = 0; i < X_HEADER_FAT; i++)
		bytes_put_le32(out + 76 + 4 * i,
			       i < nfat ? ndata + i : X_FREESECT);

	/* streams, the mini stream and its MiniFAT */
	for (uint32_t i = 1; i < n; i++) {
		if (!it[i].data || it[i].len == 0)
			continue;
		if (it[i].len < X_CUTOFF) {
			uint32_t k =
			    (uint32_t)((it[i].len + X_MINI - 1) / X_MINI);
			size_t at = (size_t)it[i].start * X_MINI;
			memcpy(x_sector(out, mini_start) + at, it[i].data,
			       it[i].len);
			for (uint32_t m = 0; m < k; m++)
				bytes_put_le32(
				    x_sector(out, minifat_start) +
					4 * ((size_t)it[i].start + m),
				    m + 1 < k ? it[i].start + m + 1
					      : X_ENDOFCHAIN);
		} else {
			memcpy(x_sector(out, it[i].start), it[i].data,
			       it[i].len);
			x_chain(fat, it[i].start, x_sectors(it[i].len));
		}
	}
	if (nminifat) {
		uint8_t *mf = x_sector(out, minifat_start);
		for (size_t m = nmini; m < (size_t)nminifat * X_PER_FAT; m++)
			bytes_put_le32(mf + 4 * m, X_FREESECT);
		x_chain(fat, mini_start, x_sectors(mini_len));
		x_chain(fat, minifat_start, nminifat);
	}

	/* directory: the root (the mini stream), then the entries */
	it[0].start = mini_start;
	it[0].len = mini_len;
	for (uint32_t i = 0; i < ndirsec * X_PER_DIR; i++) {
		uint8_t *p = x_sector(out, dir_start) + (size_t)i * 128;
		if (i == 0) {
			x_dirent(p, "Root Entry", CFB_ROOT, &it[0]);
		} else if (i < n) {
			const struct cfb_entry *e = &c->dir[it[i].src];
			if (e->type != CFB_STREAM) {
				it[i].start = 0;
				it[i].len = 0;
			}
			x_dirent(p, e->name, e->type, &it[i]);
		} else {
			bytes_put_le32(p + 68, CFB_NONE);
			bytes_put_le32(p + 72, CFB_NONE);
			bytes_put_le32(p + 76, CFB_NONE);
		}
	}
	x_chain(fat, dir_start, ndirsec);
	for (uint32_t i = 0; i < nfat; i++)
		fat[ndata + i] = X_FATSECT;
	for (size_t i = 0; i < (size_t)nfat * X_PER_FAT; i++)
		bytes_put_le32(x_sector(out, ndata) + 4 * i, fat[i]);
	free(fat);
	*buf = out;
	*len = total;
	return CFB_OK;
}

int cfb_extract(struct cfb *c, uint32_t storage, uint8_t **buf, size_t *len)
{
	uint8_t *in;
	uint32_t *map, n = 1;
	struct x_item *it;
	int rc;

	*buf = NULL;
	*len = 0;
	if (storage >= c->ndir || c->dir[storage].type != CFB_STORAGE)
		return CFB_E_FORMAT;
	in = malloc(c->ndir);
	map = malloc((size_t)c->ndir * sizeof(*map));
	it = calloc((size_t)c->ndir + 1, sizeof(*it));
	if (!in || !map || !it || (rc = cfb_subtree(c, storage, in)) < 0) {
		free(in);
		free(map);
		free(it);
		return CFB_E_NOMEM;
	}
	it[0].src = CFB_NONE;
	it[0].child = it[0].right = it[0].last = CFB_NONE;
	for (uint32_t i = 0; i < c->ndir; i++) {
		const struct cfb_entry *e = &c->dir[i];
		map[i] = CFB_NONE;
		if (!in[i] || (e->type != CFB_STREAM && e->type != CFB_STORAGE))
			continue;
		map[i] = n;
		it[n].src = i;
		it[n].child = it[n].right = it[n].last = CFB_NONE;
		n++;
	}
	/* each storage's children as a chain of right siblings */
	for (uint32_t k = 1; k < n; k++) {
		uint32_t p = c->dir[it[k].src].parent;
		uint32_t np = p == storage  ? 0
			      : p < c->ndir ? map[p]
					    : CFB_NONE;
		if (np == CFB_NONE)
			continue;
		if (it[np].child == CFB_NONE)
			it[np].child = k;
		else
			it[it[np].last].right = k;
		it[np].last = k;
	}
	rc = CFB_OK;
	for (uint32_t k = 1; k < n && rc == CFB_OK; k++)
		if (c->dir[it[k].src].type == CFB_STREAM)
			rc = cfb_read(c, it[k].src, &it[k].data, &it[k].len);
	if (rc == CFB_OK)
		rc = x_write(c, it, n, buf, len);
	x_free_items(it, n);
	free(map);
	free(in);
	return rc;
}
