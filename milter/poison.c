#include "poison.h"

#include <pthread.h>
#include <string.h>

struct poison_slot {
	char sha256[65];
	unsigned crashes;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct poison_slot slots[POISON_SLOTS];
static unsigned next_slot, used; /* slots ever filled: the only ones read */

static struct poison_slot *find(const char *sha256)
{
	for (unsigned i = 0; i < used; i++)
		if (slots[i].crashes && strcmp(slots[i].sha256, sha256) == 0)
			return &slots[i];
	return NULL;
}

unsigned poison_crashes(const char *sha256)
{
	struct poison_slot *s;
	unsigned n;

	pthread_mutex_lock(&lock);
	s = find(sha256);
	n = s ? s->crashes : 0;
	pthread_mutex_unlock(&lock);
	return n;
}

void poison_record(const char *sha256)
{
	struct poison_slot *s;

	pthread_mutex_lock(&lock);
	s = find(sha256);
	if (!s) {
		s = &slots[next_slot];
		next_slot = (next_slot + 1) % POISON_SLOTS;
		if (used < POISON_SLOTS)
			used++;
		memcpy(s->sha256, sha256, 65);
		s->crashes = 0;
	}
	s->crashes++;
	pthread_mutex_unlock(&lock);
}
