#include "cond.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#define GLOB_MAX 256

struct cond_kind;

struct cond {
	const struct cond_kind *kind;
	char **globs; /* finding */
	size_t nglobs;
	struct cond **subs; /* all, any, not */
	size_t nsubs;
};

struct cond_kind {
	const char *name;
	int (*compile)(struct ydoc *y, yaml_node_t *n, unsigned depth,
		       struct cond *c);
	int (*match)(const struct cond *c, const struct cond_input *in);
};

static int glob_add(struct ydoc *y, yaml_node_t *n, struct cond *c)
{
	const char *s = ydoc_scalar(n);
	char **g;

	if (!s || !*s)
		return ydoc_error(y, n, "expected a finding id or glob");
	if (strlen(s) > GLOB_MAX)
		return ydoc_error(y, n, "glob longer than %d bytes", GLOB_MAX);
	g = realloc(c->globs, (c->nglobs + 1) * sizeof(*g));
	if (!g)
		return ydoc_error(y, n, "out of memory");
	c->globs = g;
	c->globs[c->nglobs] = strdup(s);
	if (!c->globs[c->nglobs])
		return ydoc_error(y, n, "out of memory");
	c->nglobs++;
	return 0;
}

static int finding_compile(struct ydoc *y, yaml_node_t *n, unsigned depth,
			   struct cond *c)
{
	yaml_node_item_t *it;

	if (n->type == YAML_SCALAR_NODE)
		return glob_add(y, n, c);
	if (n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.start == n->data.sequence.items.top)
		return ydoc_error(y, n,
				  "expected a finding glob or a list of them");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		if (glob_add(y, ydoc_node(y, *it), c) < 0)
			return -1;
	return 0;
}

static int finding_match(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < in->report->nfindings; i++)
		for (size_t g = 0; g < c->nglobs; g++)
			if (fnmatch(c->globs[g], in->report->findings[i].id,
				    0) == 0)
				return 1;
	return 0;
}

static int subs_add(struct ydoc *y, yaml_node_t *n, unsigned depth,
		    struct cond *c)
{
	struct cond **s = realloc(c->subs, (c->nsubs + 1) * sizeof(*s));
	int rc;

	if (!s)
		return ydoc_error(y, n, "out of memory");
	c->subs = s;
	c->subs[c->nsubs] = NULL;
	rc = cond_compile(y, n, depth + 1, &c->subs[c->nsubs]);
	if (c->subs[c->nsubs])
		c->nsubs++;
	return rc;
}

static int list_compile(struct ydoc *y, yaml_node_t *n, unsigned depth,
			struct cond *c)
{
	yaml_node_item_t *it;

	if (n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.start == n->data.sequence.items.top)
		return ydoc_error(y, n,
				  "expected a non-empty list of conditions");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		if (subs_add(y, ydoc_node(y, *it), depth, c) < 0)
			return -1;
	return 0;
}

static int not_compile(struct ydoc *y, yaml_node_t *n, unsigned depth,
		       struct cond *c)
{
	return subs_add(y, n, depth, c);
}

static int all_match(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (!cond_match(c->subs[i], in))
			return 0;
	return 1;
}

static int any_match(const struct cond *c, const struct cond_input *in)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (cond_match(c->subs[i], in))
			return 1;
	return 0;
}

static int not_match(const struct cond *c, const struct cond_input *in)
{
	return !cond_match(c->subs[0], in);
}

static const struct cond_kind kinds[] = {
    {"finding", finding_compile, finding_match},
    {"all", list_compile, all_match},
    {"any", list_compile, any_match},
    {"not", not_compile, not_match},
};

static const struct cond_kind *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int cond_compile(struct ydoc *y, yaml_node_t *n, unsigned depth,
		 struct cond **out)
{
	yaml_node_pair_t *pair;
	const char *name;
	struct cond *c;

	*out = NULL;
	if (depth > COND_MAX_DEPTH)
		return ydoc_error(y, n, "conditions nested deeper than %d",
				  COND_MAX_DEPTH);
	if (!n || n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return ydoc_error(y, n,
				  "expected a condition: a mapping with one "
				  "key (finding, all, any, not)");
	pair = n->data.mapping.pairs.start;
	name = ydoc_scalar(ydoc_node(y, pair->key));
	if (!name || !kind_find(name))
		return ydoc_error(y, ydoc_node(y, pair->key),
				  "unknown condition '%s' (expected finding, "
				  "all, any or not)",
				  name ? name : "");
	c = calloc(1, sizeof(*c));
	if (!c)
		return ydoc_error(y, n, "out of memory");
	c->kind = kind_find(name);
	*out = c;
	return c->kind->compile(y, ydoc_node(y, pair->value), depth, c);
}

int cond_match(const struct cond *c, const struct cond_input *in)
{
	return c->kind->match(c, in);
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nglobs; i++)
		free(c->globs[i]);
	for (size_t i = 0; i < c->nsubs; i++)
		cond_free(c->subs[i]);
	free(c->globs);
	free(c->subs);
	free(c);
}
