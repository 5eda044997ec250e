/*
 * lists - the named lists of a policy's `lists:` section: domains,
 * addresses, CIDRs, SHA-256 hashes, URLs or plain strings, from a file
 * (one per line, '#' comments, relative paths from the policy's directory)
 * and/or inline `items:`. Loaded with the policy, so a reload (SIGUSR1)
 * reloads them. Limits: LIST_MAX_ENTRIES per list, LIST_MAX_LINE bytes a
 * line; a missing file is a load error.
 *
 * `format: urlhaus` reads a URLhaus CSV export (abuse.ch): the third field
 * of each line that is not a '#' comment. `finding:` names the finding a
 * URL of the message gives when its host, registrable domain or whole URL
 * is on the list (url.listed or url.shortener; policy_judge, decide.c);
 * url lists give url.listed without it. Entries of url lists are stored
 * normalized (parser/url.h) so that they compare with the message's.
 */
#ifndef KENSA_LISTS_H
#define KENSA_LISTS_H

#include <stddef.h>

#include "cidr.h"
#include "ydoc.h"

#define LIST_MAX_ENTRIES 1000000
#define LIST_MAX_LINE	 2048

enum list_type {
	LIST_DOMAIN,
	LIST_ADDRESS,
	LIST_CIDR,
	LIST_SHA256,
	LIST_URL,
	LIST_STRING
};

struct list {
	char *name;
	enum list_type type;
	char **items; /* sorted; lower case except LIST_URL and LIST_STRING */
	size_t nitems;
	struct cidr *nets;
	size_t nnets;
	const char *finding; /* for the message's URLs, or NULL */
	int urlhaus;	     /* file is a URLhaus CSV export */
};

struct lists {
	struct list *list;
	size_t n;
};

int lists_load(struct ydoc *y, yaml_node_t *n, const char *policy_path,
	       struct lists *out);
const struct list *lists_find(const struct lists *l, const char *name);
int list_contains(const struct list *l, const char *value);
void lists_free(struct lists *l);

#endif
