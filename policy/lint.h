/*
 * lint - warnings about a policy that compiles but is likely wrong: a
 * finding glob that matches no known finding id (with the nearest known
 * id), a rule that can never fire (cond_never), an allow entry that names
 * no rule, a list with no entries. Used by `kensa policy check`.
 */
#ifndef KENSA_LINT_H
#define KENSA_LINT_H

#include "policy.h"

/* Calls warn for each warning; returns their count. */
unsigned policy_lint(const struct policy *p,
		     void (*warn)(const char *text, void *arg), void *arg);

#endif
