/*
 * report - collection of parts, findings and URLs for one message.
 * See report.h for the UTF-8 guarantee and the limits.
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

char *report_strdup(const char *s, size_t len)
{
	return s ? utf8_repair(s, len) : NULL;
}

void report_init(struct report *r, size_t max_findings)
{
	memset(r, 0, sizeof(*r));
	r->max_findings = max_findings;
}

void path_clear(struct part_path *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->elem[i]);
	p->n = 0;
}

int path_push(struct part_path *p, const char *elem, size_t len)
{
	if (p->n >= PATH_MAX_ELEMS)
		return -E2BIG;
	p->elem[p->n] = report_strdup(elem, len);
	if (!p->elem[p->n])
		return -ENOMEM;
	p->n++;
	return 0;
}

int path_set(struct part_path *dst, const struct part_path *src)
{
	dst->n = 0;
	if (!src)
		return 0;
	for (size_t i = 0; i < src->n; i++) {
		int rc = path_push(dst, src->elem[i], strlen(src->elem[i]));
		if (rc < 0) {
			path_clear(dst);
			return rc;
		}
	}
	return 0;
}

int report_add_finding(struct report *r, const char *id,
		       const struct part_path *part, const char *detail,
		       size_t detail_len)
{
	struct finding *f;

	if (r->max_findings && r->nfindings >= r->max_findings) {
		r->dropped_findings++;
		return 0;
	}
	/* The last slot says the list is cut short, so that a flood of
	 * harmless findings cannot hide a dangerous one from the policy. */
	if (r->max_findings && r->nfindings + 1 == r->max_findings) {
		static const char cut[] = "findings limit reached";
		id = "scan.limit";
		part = NULL;
		detail = cut;
		detail_len = sizeof(cut) - 1;
		r->dropped_findings++;
	}
	if (grow((void **)&r->findings, &r->findings_cap, r->nfindings,
		 sizeof(*r->findings)) < 0)
		return -ENOMEM;
	f = &r->findings[r->nfindings];
	memset(f, 0, sizeof(*f));
	f->id = strdup(id);
	f->detail =
	    report_strdup(detail ? detail : "", detail ? detail_len : 0);
	if (!f->id || !f->detail || path_set(&f->part, part) < 0) {
		free(f->id);
		free(f->detail);
		return -ENOMEM;
	}
	r->nfindings++;
	return 0;
}

int report_add_part(struct report *r, const struct part_info *info)
{
	struct part_info *p;

	if (grow((void **)&r->parts, &r->parts_cap, r->nparts,
		 sizeof(*r->parts)) < 0)
		return -ENOMEM;
	p = &r->parts[r->nparts];
	*p = *info;
	memset(&p->path, 0, sizeof(p->path));
	if (path_set(&p->path, &info->path) < 0)
		return -ENOMEM;
	p->type = info->type ? strdup(info->type) : NULL;
	p->declared = info->declared ? report_strdup(info->declared,
						     strlen(info->declared))
				     : NULL;
	p->filename = info->filename ? report_strdup(info->filename,
						     strlen(info->filename))
				     : NULL;
	r->nparts++;
	return 0;
}

static size_t url_hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot of url in the index: where it is, or the free one it would
 * take. The index is never more than half full. */
static size_t url_slot(const struct report *r, const char *url, size_t len)
{
	size_t mask = r->url_index_cap - 1;
	size_t i = url_hash(url, len) & mask;

	while (r->url_index[i]) {
		const char *have = r->urls[r->url_index[i] - 1].url;
		if (strnlen(have, len + 1) == len &&
		    memcmp(have, url, len) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static int url_index_grow(struct report *r)
{
	size_t ncap = r->url_index_cap ? r->url_index_cap * 2 : 64;
	size_t *old = r->url_index, ocap = r->url_index_cap;

	if (2 * (r->nurls + 1) <= r->url_index_cap)
		return 0;
	r->url_index = calloc(ncap, sizeof(*r->url_index));
	if (!r->url_index) {
		r->url_index = old;
		return -ENOMEM;
	}
	r->url_index_cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i]) {
			const char *u = r->urls[old[i] - 1].url;
			r->url_index[url_slot(r, u, strlen(u))] = old[i];
		}
	free(old);
	return 0;
}

int report_has_url(const struct report *r, const char *url, size_t len)
{
	return r->url_index_cap && r->url_index[url_slot(r, url, len)] != 0;
}

int report_add_url(struct report *r, const struct part_path *part,
		   const char *url, size_t len)
{
	struct report_url *u;
	char *copy;

	if (report_has_url(r, url, len))
		return 1;
	if (grow((void **)&r->urls, &r->urls_cap, r->nurls, sizeof(*r->urls)) <
		0 ||
	    url_index_grow(r) < 0)
		return -ENOMEM;
	copy = report_strdup(url, len);
	if (!copy)
		return -ENOMEM;
	/* repaired bytes may differ: index what is stored */
	if (report_has_url(r, copy, strlen(copy))) {
		free(copy);
		return 1;
	}
	u = &r->urls[r->nurls];
	memset(u, 0, sizeof(*u));
	u->url = copy;
	if (path_set(&u->part, part) < 0) {
		free(copy);
		return -ENOMEM;
	}
	r->url_index[url_slot(r, copy, strlen(copy))] = ++r->nurls;
	return 0;
}

int report_add_header(struct report *r, const char *name, const char *value)
{
	struct header_field *h;
	size_t vlen = strlen(value);

	if (r->nheaders >= REPORT_MAX_HEADERS)
		return 0;
	if (grow((void **)&r->headers, &r->headers_cap, r->nheaders,
		 sizeof(*r->headers)) < 0)
		return -ENOMEM;
	if (vlen > REPORT_MAX_HEADER_VALUE)
		vlen = REPORT_MAX_HEADER_VALUE;
	h = &r->headers[r->nheaders];
	h->name = report_strdup(name, strlen(name));
	h->value = report_strdup(value, vlen);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return -ENOMEM;
	}
	r->nheaders++;
	return 0;
}

int report_has_finding(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return 1;
	return 0;
}

void report_drop_findings(struct report *r, const char *prefix)
{
	size_t kept = 0, plen = strlen(prefix);

	for (size_t i = 0; i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		if (strncmp(f->id, prefix, plen) == 0) {
			free(f->id);
			free(f->detail);
			path_clear(&f->part);
			continue;
		}
		r->findings[kept++] = *f;
	}
	r->nfindings = kept;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].id);
		free(r->findings[i].detail);
		path_clear(&r->findings[i].part);
	}
	for (size_t i = 0; i < r->nparts; i++) {
		path_clear(&r->parts[i].path);
		free(r->parts[i].type);
		free(r->parts[i].declared);
		free(r->parts[i].filename);
	}
	for (size_t i = 0; i < r->nurls; i++) {
		free(r->urls[i].url);
		path_clear(&r->urls[i].part);
	}
	free(r->url_index);
	free(r->findings);
	free(r->parts);
	free(r->urls);
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->message_id);
	free(r->subject);
	free(r->from);
	free(r->from_addr);
	memset(r, 0, sizeof(*r));
}
