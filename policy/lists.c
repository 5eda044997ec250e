#include "lists.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../parser/address.h"
#include "../parser/url.h"

static const char *const type_names[] = {"domain", "address", "cidr",
					 "sha256", "url",     "string"};
static const char *const list_keys[] = {"type",	  "file",    "items",
					"format", "finding", NULL};
static const char *const url_findings[] = {"url.listed", "url.shortener", NULL};

static int folds(enum list_type t)
{
	return t != LIST_URL && t != LIST_STRING;
}

/* A url list entry: normalized when it is a URL kensa reads, else (a bare
 * domain) in lower case. */
static char *url_entry(const char *text, size_t len)
{
	struct url u;
	char *out;
	int rc = url_parse(span_make(text, len), &u);

	if (rc < 0)
		return NULL;
	if (rc == 0) {
		out = u.normalized;
		u.normalized = NULL;
		url_free(&u);
		return out;
	}
	return address_lower(strndup(text, len));
}

/* The URL of a URLhaus CSV line ("id","dateadded","url",...) in place. */
static int urlhaus_field(char *line, char **start, char **end)
{
	char *p = line;

	for (int field = 0; field < 2; field++) {
		if (*p != '"' || !(p = strchr(p + 1, '"')) || p[1] != ',')
			return -1;
		p += 2;
	}
	if (*p != '"' || !strchr(p + 1, '"'))
		return -1;
	*start = p + 1;
	*end = strchr(p + 1, '"');
	return 0;
}

static int add_item(struct list *l, const char *text, size_t len)
{
	char **items;
	char *copy;

	if (l->type == LIST_CIDR) {
		struct cidr net, *nets;
		char buf[64];
		if (len >= sizeof(buf))
			return -1;
		memcpy(buf, text, len);
		buf[len] = '\0';
		if (cidr_parse(buf, &net) < 0)
			return -1;
		nets = realloc(l->nets, (l->nnets + 1) * sizeof(*nets));
		if (!nets)
			return -1;
		l->nets = nets;
		l->nets[l->nnets++] = net;
		return 0;
	}
	if (l->nitems >= LIST_MAX_ENTRIES)
		return -1;
	copy = l->type == LIST_URL ? url_entry(text, len) : strndup(text, len);
	items =
	    copy ? realloc(l->items, (l->nitems + 1) * sizeof(*items)) : NULL;
	if (!items) {
		free(copy);
		return -1;
	}
	if (folds(l->type))
		address_lower(copy);
	l->items = items;
	l->items[l->nitems++] = copy;
	return 0;
}

static int load_file(struct ydoc *y, yaml_node_t *at, const char *policy_path,
		     const char *file, struct list *l)
{
	char path[4096], line[LIST_MAX_LINE + 2], *dir, *copy;
	unsigned lineno = 0;
	FILE *f;

	if (file[0] == '/') {
		snprintf(path, sizeof(path), "%s", file);
	} else {
		copy = strdup(policy_path);
		if (!copy)
			return ydoc_error(y, at, "out of memory");
		dir = dirname(copy);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		free(copy);
	}
	f = fopen(path, "r");
	if (!f)
		return ydoc_error(y, at, "list '%s': cannot read %s: %s",
				  l->name, path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fclose(f);
			return ydoc_error(y, at, "%s:%u: line too long", path,
					  lineno);
		}
		if (l->urlhaus) {
			if (line[0] == '#' ||
			    strspn(line, " \t\r\n") == strlen(line))
				continue;
			if (urlhaus_field(line, &s, &e) < 0 ||
			    add_item(l, s, (size_t)(e - s)) < 0) {
				fclose(f);
				return ydoc_error(
				    y, at, "%s:%u: not a URLhaus CSV line",
				    path, lineno);
			}
			continue;
		}
		if ((e = strchr(s, '#')))
			*e = '\0';
		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e == s)
			continue;
		if (add_item(l, s, (size_t)(e - s)) < 0) {
			fclose(f);
			return ydoc_error(y, at, "%s:%u: not a valid %s entry",
					  path, lineno, type_names[l->type]);
		}
	}
	fclose(f);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* format: and finding: */
static int list_url_keys(struct ydoc *y, yaml_node_t *n, struct list *l)
{
	yaml_node_t *v;
	const char *s;

	if ((v = ydoc_get(y, n, "format"))) {
		s = ydoc_scalar(v);
		if (!s || (strcmp(s, "urlhaus") && strcmp(s, "plain")))
			return ydoc_error(y, v,
					  "expected a list format: plain, "
					  "urlhaus");
		if (!strcmp(s, "urlhaus") && l->type != LIST_URL)
			return ydoc_error(y, v,
					  "format urlhaus needs type url");
		l->urlhaus = strcmp(s, "urlhaus") == 0;
	}
	if (l->type == LIST_URL)
		l->finding = url_findings[0];
	if ((v = ydoc_get(y, n, "finding"))) {
		s = ydoc_scalar(v);
		for (l->finding = NULL; s && !l->finding; s = NULL)
			for (size_t i = 0; url_findings[i]; i++)
				if (strcmp(s, url_findings[i]) == 0)
					l->finding = url_findings[i];
		if (!l->finding)
			return ydoc_error(y, v,
					  "expected url.listed or "
					  "url.shortener");
		if (l->type != LIST_URL && l->type != LIST_DOMAIN)
			return ydoc_error(y, v,
					  "finding needs a domain or url "
					  "list");
	}
	return 0;
}

static int load_list(struct ydoc *y, yaml_node_t *key, yaml_node_t *n,
		     const char *policy_path, struct list *l)
{
	yaml_node_t *v;
	const char *t;

	if (ydoc_expect_mapping(y, n, "a list") < 0 ||
	    ydoc_check_keys(y, n, list_keys) < 0)
		return -1;
	l->name = strdup(ydoc_scalar(key));
	v = ydoc_get(y, n, "type");
	t = ydoc_scalar(v);
	l->type = LIST_STRING;
	if (t) {
		size_t i;
		for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
			if (strcmp(t, type_names[i]) == 0)
				break;
		if (i == sizeof(type_names) / sizeof(type_names[0]))
			return ydoc_error(y, v,
					  "expected a list type: domain, "
					  "address, cidr, sha256, url, string");
		l->type = (enum list_type)i;
	}
	if (list_url_keys(y, n, l) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "file"))) {
		if (!ydoc_scalar(v))
			return ydoc_error(y, v, "expected a file name");
		if (load_file(y, v, policy_path, ydoc_scalar(v), l) < 0)
			return -1;
	}
	if ((v = ydoc_get(y, n, "items"))) {
		if (v->type != YAML_SEQUENCE_NODE)
			return ydoc_error(y, v, "expected a list of items");
		for (yaml_node_item_t *it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++) {
			yaml_node_t *item = ydoc_node(y, *it);
			const char *s = ydoc_scalar(item);
			if (!s || add_item(l, s, strlen(s)) < 0)
				return ydoc_error(y, item,
						  "not a valid %s entry",
						  type_names[l->type]);
		}
	}
	if (!ydoc_get(y, n, "file") && !ydoc_get(y, n, "items"))
		return ydoc_error(y, n, "list '%s' needs a file or items",
				  l->name);
	if (l->nitems)
		qsort(l->items, l->nitems, sizeof(*l->items), cmp_str);
	return 0;
}

int lists_load(struct ydoc *y, yaml_node_t *n, const char *policy_path,
	       struct lists *out)
{
	size_t count;

	memset(out, 0, sizeof(*out));
	if (ydoc_expect_mapping(y, n, "lists") < 0)
		return -1;
	count =
	    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	out->list = calloc(count ? count : 1, sizeof(*out->list));
	if (!out->list)
		return ydoc_error(y, n, "out of memory");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = ydoc_node(y, p->key);
		if (!ydoc_scalar(key))
			return ydoc_error(y, key, "expected a list name");
		if (lists_find(out, ydoc_scalar(key)))
			return ydoc_error(y, key, "duplicate list '%s'",
					  ydoc_scalar(key));
		out->n++;
		if (load_list(y, key, ydoc_node(y, p->value), policy_path,
			      &out->list[out->n - 1]) < 0)
			return -1;
	}
	return 0;
}

const struct list *lists_find(const struct lists *l, const char *name)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (l->list[i].name && strcmp(l->list[i].name, name) == 0)
			return &l->list[i];
	return NULL;
}

static int has(const struct list *l, const char *key)
{
	return bsearch(&key, l->items, l->nitems, sizeof(*l->items), cmp_str) !=
	       NULL;
}

int list_contains(const struct list *l, const char *value)
{
	char buf[1024];
	size_t n = strlen(value);

	if (l->type == LIST_CIDR) {
		for (size_t i = 0; i < l->nnets; i++)
			if (cidr_contains(&l->nets[i], value))
				return 1;
		return 0;
	}
	if (!folds(l->type))
		return has(l, value);
	if (n >= sizeof(buf))
		return 0;
	address_lower(memcpy(buf, value, n + 1));
	if (l->type != LIST_DOMAIN)
		return has(l, buf);
	/* a domain matches itself and its subdomains */
	for (const char *d = buf; d;
	     d = strchr(d, '.') ? strchr(d, '.') + 1 : NULL)
		if (*d && has(l, d))
			return 1;
	return 0;
}

void lists_free(struct lists *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < l->list[i].nitems; k++)
			free(l->list[i].items[k]);
		free(l->list[i].items);
		free(l->list[i].nets);
		free(l->list[i].name);
	}
	free(l->list);
	memset(l, 0, sizeof(*l));
}
