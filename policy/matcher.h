/*
 * matcher - how a condition matches a text value: a glob or a list of
 * globs (case-insensitive), {regex: PATTERN} (PCRE2, see regex.h) or
 * {list: NAME} (a list of the policy, see lists.h). For addresses of
 * clients (MATCH_CIDR), globs are networks instead ("192.0.2.0/24").
 * Everything is compiled at load; errors name the node's line and column.
 */
#ifndef KENSA_MATCHER_H
#define KENSA_MATCHER_H

#include "cidr.h"
#include "lists.h"
#include "regex.h"
#include "ydoc.h"

enum matcher_kind { MATCH_GLOB, MATCH_CIDR };

struct matcher {
	char **globs;
	size_t nglobs;
	struct cidr *nets;
	size_t nnets;
	struct regex *re;
	const struct list *list;
};

int matcher_compile(struct ydoc *y, yaml_node_t *n, const struct lists *lists,
		    enum matcher_kind kind, struct matcher *m);
/* 1 match, 0 no match; *limit set when a regex hit its limits. */
int matcher_match(const struct matcher *m, const char *value, int *limit);
void matcher_free(struct matcher *m);

#endif
