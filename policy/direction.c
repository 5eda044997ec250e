#include "direction.h"

#include <string.h>

#include "../parser/span.h"
#include "cidr.h"

#define WORD_MAX 128

/* Calls fn on every word of list until it returns non-zero. */
static int any_word(const char *list, int (*fn)(const char *word, void *arg),
		    void *arg)
{
	char word[WORD_MAX];

	for (struct span w; (w = span_next_word(&list)).len;) {
		if (w.len >= sizeof(word))
			continue;
		memcpy(word, w.ptr, w.len);
		word[w.len] = '\0';
		if (fn(word, arg))
			return 1;
	}
	return 0;
}

static int same_word(const char *word, void *arg)
{
	return strcmp(word, arg) == 0;
}

static int network_holds(const char *word, void *arg)
{
	struct cidr net;

	return cidr_parse(word, &net) == 0 && cidr_contains(&net, arg);
}

int direction_outbound(const struct envelope *env, const char *daemons,
		       const char *networks)
{
	if (!env)
		return 0;
	if (env->auth && *env->auth)
		return 1;
	if (env->daemon_name && daemons &&
	    any_word(daemons, same_word, env->daemon_name))
		return 1;
	return env->client_addr && networks &&
	       any_word(networks, network_holds, env->client_addr);
}

const char *direction_name(const struct envelope *env)
{
	return env && env->outbound == 1 ? "outbound" : "inbound";
}
