#include "matcher.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#define GLOB_MAX 512

static const char *const matcher_keys[] = {"regex", "list", NULL};

static int add_pattern(struct ydoc *y, yaml_node_t *n, enum matcher_kind kind,
		       struct matcher *m)
{
	const char *s = ydoc_scalar(n);

	if (!s || !*s || strlen(s) > GLOB_MAX)
		return ydoc_error(y, n, "expected a %s",
				  kind == MATCH_CIDR ? "network (CIDR)"
						     : "pattern (glob)");
	if (kind == MATCH_CIDR) {
		struct cidr *nets =
		    realloc(m->nets, (m->nnets + 1) * sizeof(*nets));
		if (!nets)
			return ydoc_error(y, n, "out of memory");
		m->nets = nets;
		if (cidr_parse(s, &m->nets[m->nnets]) < 0)
			return ydoc_error(y, n,
					  "expected an IPv4 or IPv6 network "
					  "such as 192.0.2.0/24, not '%s'",
					  s);
		m->nnets++;
		return 0;
	}
	char **globs = realloc(m->globs, (m->nglobs + 1) * sizeof(*globs));
	if (!globs)
		return ydoc_error(y, n, "out of memory");
	m->globs = globs;
	if (!(m->globs[m->nglobs] = strdup(s)))
		return ydoc_error(y, n, "out of memory");
	m->nglobs++;
	return 0;
}

static int compile_mapping(struct ydoc *y, yaml_node_t *n,
			   const struct lists *lists, struct matcher *m)
{
	yaml_node_t *v;

	if (ydoc_check_keys(y, n, matcher_keys) < 0)
		return -1;
	if ((v = ydoc_get(y, n, "regex"))) {
		char err[256];
		size_t off = 0;
		if (!ydoc_scalar(v))
			return ydoc_error(y, v,
					  "expected a regular expression");
		m->re = regex_compile(ydoc_scalar(v), err, sizeof(err), &off);
		if (!m->re)
			return ydoc_error(y, v,
					  "regular expression: %s at "
					  "offset %zu",
					  err, off);
	}
	if ((v = ydoc_get(y, n, "list"))) {
		const char *name = ydoc_scalar(v);
		m->list = name ? lists_find(lists, name) : NULL;
		if (!m->list)
			return ydoc_error(
			    y, v, "no list '%s' in lists:", name ? name : "");
	}
	if (!m->re && !m->list)
		return ydoc_error(y, n, "expected regex: or list:");
	return 0;
}

int matcher_compile(struct ydoc *y, yaml_node_t *n, const struct lists *lists,
		    enum matcher_kind kind, struct matcher *m)
{
	memset(m, 0, sizeof(*m));
	if (!n)
		return ydoc_error(y, n, "expected a pattern");
	if (n->type == YAML_SCALAR_NODE)
		return add_pattern(y, n, kind, m);
	if (n->type == YAML_MAPPING_NODE)
		return compile_mapping(y, n, lists, m);
	if (n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.start == n->data.sequence.items.top)
		return ydoc_error(y, n,
				  "expected a pattern, a list of them, "
				  "{regex: ...} or {list: ...}");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++)
		if (add_pattern(y, ydoc_node(y, *it), kind, m) < 0)
			return -1;
	return 0;
}

int matcher_match(const struct matcher *m, const char *value, int *limit)
{
	if (!value)
		return 0;
	for (size_t i = 0; i < m->nglobs; i++)
		if (fnmatch(m->globs[i], value, FNM_CASEFOLD) == 0)
			return 1;
	for (size_t i = 0; i < m->nnets; i++)
		if (cidr_contains(&m->nets[i], value))
			return 1;
	if (m->list && list_contains(m->list, value))
		return 1;
	if (m->re) {
		enum regex_result r = regex_match(m->re, value, strlen(value));
		if (r == REGEX_LIMIT)
			*limit = 1;
		return r == REGEX_YES;
	}
	return 0;
}

void matcher_free(struct matcher *m)
{
	for (size_t i = 0; i < m->nglobs; i++)
		free(m->globs[i]);
	free(m->globs);
	free(m->nets);
	regex_free(m->re);
	memset(m, 0, sizeof(*m));
}
