#include "policy_ref.h"

#include <pthread.h>
#include <stdlib.h>

struct policy_ref {
	struct policy *policy;
	unsigned refs;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct policy_ref *current;

void policy_ref_set(struct policy *p)
{
	struct policy_ref *r = calloc(1, sizeof(*r)), *old;

	if (!r) {
		policy_free(p);
		return;
	}
	r->policy = p;
	r->refs = 1;
	pthread_mutex_lock(&lock);
	old = current;
	current = r;
	pthread_mutex_unlock(&lock);
	if (old)
		policy_ref_put(old);
}

struct policy_ref *policy_ref_get(void)
{
	struct policy_ref *r;

	pthread_mutex_lock(&lock);
	r = current;
	if (r)
		r->refs++;
	pthread_mutex_unlock(&lock);
	return r;
}

const struct policy *policy_ref_policy(const struct policy_ref *r)
{
	return r->policy;
}

void policy_ref_put(struct policy_ref *r)
{
	unsigned left;

	pthread_mutex_lock(&lock);
	left = --r->refs;
	pthread_mutex_unlock(&lock);
	if (left == 0) {
		policy_free(r->policy);
		free(r);
	}
}
