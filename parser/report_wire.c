/*
 * report_wire - the workers' binary report (see report_wire.h for the
 * layout and what the reader refuses).
 */
#include "report_wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_MAGIC  "KRW1"
#define WIRE_ABSENT 0xffffffffu
#define WIRE_ID_MAX 128 /* finding ids and part types */

struct out {
	unsigned char *b;
	size_t len, cap;
	int failed;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->failed || n == 0)
		return;
	if (o->cap - o->len < n) {
		size_t cap = o->cap ? o->cap : 4096;
		unsigned char *b;
		while (cap - o->len < n)
			cap *= 2;
		if (!(b = realloc(o->b, cap))) {
			o->failed = 1;
			return;
		}
		o->b = b;
		o->cap = cap;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	put(o, b, 4);
}

static void put_u64(struct out *o, uint64_t v)
{
	put_u32(o, (uint32_t)v);
	put_u32(o, (uint32_t)(v >> 32));
}

static void put_str(struct out *o, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= WIRE_ABSENT) {
		o->failed = 1;
		return;
	}
	put_u32(o, s ? (uint32_t)n : WIRE_ABSENT);
	put(o, s, n);
}

static void put_path(struct out *o, const struct part_path *p)
{
	put_u32(o, (uint32_t)p->n);
	for (size_t i = 0; i < p->n; i++)
		put_str(o, p->elem[i]);
}

int report_to_wire(const struct report *r, unsigned char **out, size_t *len)
{
	struct out o = {0};
	uint64_t ms;

	put(&o, WIRE_MAGIC, 4);
	put_str(&o, r->message_id);
	put_str(&o, r->subject);
	put_str(&o, r->from);
	put_str(&o, r->from_addr);
	put_u64(&o, r->size);
	memcpy(&ms, &r->elapsed_ms, sizeof(ms));
	put_u64(&o, ms);
	put_u32(&o, (uint32_t)r->nfindings);
	for (size_t i = 0; i < r->nfindings; i++) {
		put_str(&o, r->findings[i].id);
		put_path(&o, &r->findings[i].part);
		put_str(&o, r->findings[i].detail);
	}
	put_u32(&o, (uint32_t)r->nparts);
	for (size_t i = 0; i < r->nparts; i++) {
		const struct part_info *p = &r->parts[i];
		put_path(&o, &p->path);
		put_str(&o, p->type);
		put_str(&o, p->declared);
		put_str(&o, p->filename);
		put_u64(&o, p->size);
		put(&o, p->sha256, 64);
	}
	put_u32(&o, (uint32_t)r->nurls);
	for (size_t i = 0; i < r->nurls; i++) {
		put_str(&o, r->urls[i].url);
		put_path(&o, &r->urls[i].part);
	}
	put_u32(&o, (uint32_t)r->nheaders);
	for (size_t i = 0; i < r->nheaders; i++) {
		put_str(&o, r->headers[i].name);
		put_str(&o, r->headers[i].value);
	}
	if (o.failed) {
		free(o.b);
		return -1;
	}
	*out = o.b;
	*len = o.len;
	return 0;
}

struct in {
	const unsigned char *p;
	size_t left;
	int bad;
};

static const unsigned char *take(struct in *in, size_t n)
{
	const unsigned char *p = in->p;

	if (in->bad || in->left < n) {
		in->bad = 1;
		return NULL;
	}
	in->p += n;
	in->left -= n;
	return p;
}

static uint32_t get_u32(struct in *in)
{
	const unsigned char *b = take(in, 4);

	return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[3] << 24
		 : 0;
}

static uint64_t get_u64(struct in *in)
{
	uint64_t lo = get_u32(in);

	return lo | (uint64_t)get_u32(in) << 32;
}

/* A string in place: *s (NULL when absent) and its length. */
static void get_str(struct in *in, const char **s, size_t *n)
{
	uint32_t len = get_u32(in);

	*s = NULL;
	*n = 0;
	if (in->bad || len == WIRE_ABSENT)
		return;
	*s = (const char *)take(in, len);
	*n = *s ? len : 0;
}

/* A string repaired into a malloc'd copy; NULL when absent. */
static char *get_dup(struct in *in)
{
	const char *s;
	size_t n;

	get_str(in, &s, &n);
	return s ? report_strdup(s, n) : NULL;
}

/* A finding id or part type: printable ASCII, NUL-terminated into buf. */
static int get_word(struct in *in, char *buf)
{
	const char *s;
	size_t n;

	get_str(in, &s, &n);
	if (!s || n >= WIRE_ID_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] < ' ' || s[i] > '~')
			return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

static int get_path(struct in *in, struct part_path *p)
{
	uint32_t n = get_u32(in);
	const char *s;
	size_t len;

	p->n = 0;
	if (in->bad || n > PATH_MAX_ELEMS)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		get_str(in, &s, &len);
		if (!s || path_push(p, s, len) < 0)
			return -1;
	}
	return 0;
}

static int get_finding(struct in *in, struct report *r)
{
	struct part_path part = {0};
	char id[WIRE_ID_MAX];
	const char *detail;
	size_t len;
	int rc = -1;

	if (get_word(in, id) == 0 && id[0] && get_path(in, &part) == 0) {
		get_str(in, &detail, &len);
		if (detail)
			rc = report_add_finding(r, id, &part, detail, len);
	}
	path_clear(&part);
	return rc < 0 ? -1 : 0;
}

static int get_part(struct in *in, struct report *r)
{
	struct part_info info;
	char type[WIRE_ID_MAX];
	const unsigned char *sha;
	int rc = -1;

	memset(&info, 0, sizeof(info));
	if (get_path(in, &info.path) < 0 || get_word(in, type) < 0)
		goto out;
	info.type = type;
	info.declared = get_dup(in);
	info.filename = get_dup(in);
	info.size = (size_t)get_u64(in);
	sha = take(in, 64);
	if (!sha)
		goto out;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", sha[i]) || sha[i] == '\0')
			goto out;
	memcpy(info.sha256, sha, 64);
	info.sha256[64] = '\0';
	rc = report_add_part(r, &info) < 0 ? -1 : 0;
out:
	free(info.declared);
	free(info.filename);
	path_clear(&info.path);
	return rc;
}

static int get_url(struct in *in, struct report *r)
{
	struct part_path part = {0};
	const char *url;
	size_t len;
	int rc = -1;

	get_str(in, &url, &len);
	if (url && get_path(in, &part) == 0)
		rc = report_add_url(r, &part, url, len) < 0 ? -1 : 0;
	path_clear(&part);
	return rc;
}

static int get_header(struct in *in, struct report *r)
{
	char *name = get_dup(in), *value = get_dup(in);
	int rc = name && value && report_add_header(r, name, value) == 0;

	free(name);
	free(value);
	return rc ? 0 : -1;
}

/* The four lists of a report in their order: each a count, then its
 * items, which take at least min bytes each (so no count larger than
 * the bytes left is believed). */
static const struct {
	size_t min;
	int (*get)(struct in *in, struct report *r);
} wire_lists[] = {
    {12, get_finding}, {88, get_part}, {8, get_url}, {8, get_header}};

int report_from_wire(const void *buf, size_t len, struct report *r,
		     size_t max_findings)
{
	struct in in = {buf, len, 0};
	const unsigned char *magic = take(&in, 4);
	uint64_t ms;
	uint32_t n;

	report_init(r, max_findings);
	if (!magic || memcmp(magic, WIRE_MAGIC, 4) != 0)
		return -1;
	r->message_id = get_dup(&in);
	r->subject = get_dup(&in);
	r->from = get_dup(&in);
	r->from_addr = get_dup(&in);
	r->size = (size_t)get_u64(&in);
	ms = get_u64(&in);
	memcpy(&r->elapsed_ms, &ms, sizeof(ms));
	for (size_t l = 0; l < sizeof(wire_lists) / sizeof(wire_lists[0]);
	     l++) {
		n = get_u32(&in);
		if (in.bad || n > in.left / wire_lists[l].min)
			goto fail;
		for (uint32_t i = 0; i < n; i++)
			if (wire_lists[l].get(&in, r) < 0)
				goto fail;
	}
	if (!in.bad && in.left == 0)
		return 0;
fail:
	report_free(r);
	return -1;
}
