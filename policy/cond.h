/*
 * cond - the condition kinds of a policy rule's `when:`. A condition is a
 * mapping with one key naming its kind: `finding` (glob or list of globs
 * on finding ids), `all`, `any` (lists of conditions), `not`. New kinds
 * (sender, header, attachment name, lists...) are added as rows of the
 * table in cond.c, each with its own compile and match functions.
 * Limits: nesting at most COND_MAX_DEPTH, globs at most 256 bytes.
 */
#ifndef KENSA_COND_H
#define KENSA_COND_H

#include "../parser/envelope.h"
#include "../parser/report.h"
#include "ydoc.h"

#define COND_MAX_DEPTH 16

struct cond;

struct cond_input {
	const struct report *report;
	const struct envelope *env;
};

int cond_compile(struct ydoc *y, yaml_node_t *n, unsigned depth,
		 struct cond **out);
int cond_match(const struct cond *c, const struct cond_input *in);
void cond_free(struct cond *c);

#endif
