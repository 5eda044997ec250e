#include "lint.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "../parser/finding_ids.h"
#include "cond.h"

struct lint {
	const char *where;
	void (*warn)(const char *text, void *arg);
	void *arg;
	unsigned count;
};

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[128];

	if (lb >= sizeof(row) / sizeof(row[0]))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j],
			       best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* 1 if glob can match a finding id (YARA rule names are not known here). */
static int known_glob(const char *glob)
{
	if (strncmp(glob, "yara.", 5) == 0)
		return 1;
	for (const char *const *id = finding_ids; *id; id++)
		if (fnmatch(glob, *id, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

static int dead_glob(const char *glob, void *arg)
{
	(void)arg;
	return !known_glob(glob);
}

static void say(struct lint *l, const char *text)
{
	l->warn(text, l->arg);
	l->count++;
}

static void check_glob(const char *glob, void *arg)
{
	struct lint *l = arg;
	const char *nearest = NULL;
	size_t best = (size_t)-1;
	char text[512];

	if (known_glob(glob))
		return;
	for (const char *const *id = finding_ids; *id; id++) {
		size_t d = edit_distance(glob, *id);
		if (d < best) {
			best = d;
			nearest = *id;
		}
	}
	snprintf(text, sizeof(text),
		 "%s: finding '%s' matches no known finding id%s%s%s", l->where,
		 glob, nearest ? " (did you mean '" : "",
		 nearest ? nearest : "", nearest ? "'?)" : "");
	say(l, text);
}

static int names_a_rule(const struct policy *p, const struct allow *a)
{
	for (size_t g = 0; g < a->nrules; g++)
		for (size_t i = 0; i < p->nrules; i++)
			if (fnmatch(a->rules[g], p->rules[i].name, 0) == 0)
				return 1;
	return 0;
}

unsigned policy_lint(const struct policy *p,
		     void (*warn)(const char *text, void *arg), void *arg)
{
	struct lint l = {NULL, warn, arg, 0};
	char where[256], text[768];

	for (size_t i = 0; i < p->nrules; i++) {
		char why[256];
		snprintf(where, sizeof(where), "rule '%s'", p->rules[i].name);
		l.where = where;
		cond_finding_globs(p->rules[i].when, check_glob, &l);
		if (cond_never(p->rules[i].when, dead_glob, NULL, why,
			       sizeof(why))) {
			snprintf(text, sizeof(text), "%s can never fire: %s",
				 where, why);
			say(&l, text);
		}
	}
	for (size_t i = 0; i < p->nallows; i++) {
		snprintf(where, sizeof(where), "allow '%s'", p->allows[i].name);
		l.where = where;
		cond_finding_globs(p->allows[i].when, check_glob, &l);
		if (!names_a_rule(p, &p->allows[i])) {
			snprintf(text, sizeof(text),
				 "%s names no rule of this policy", where);
			say(&l, text);
		}
	}
	for (size_t i = 0; i < p->lists.n; i++) {
		const struct list *list = &p->lists.list[i];
		if (list->nitems || list->nnets)
			continue;
		snprintf(text, sizeof(text), "list '%s' has no entries",
			 list->name);
		say(&l, text);
	}
	return l.count;
}
