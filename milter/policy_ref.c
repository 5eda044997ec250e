#include "policy_ref.h"

#include <pthread.h>
#include <stdlib.h>

struct policy_ref {
	struct policy *policy;
	char *request; /* what the workers are sent with each message */
	unsigned refs;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct policy_ref *current;

int policy_ref_set(struct policy *p, char *request)
{
	struct policy_ref *r = calloc(1, sizeof(*r)), *old;

	if (!r || !request) {
		free(r);
		free(request);
		policy_free(p);
		return -1;
	}
	r->policy = p;
	r->request = request;
	r->refs = 1;
	pthread_mutex_lock(&lock);
	old = current;
	current = r;
	pthread_mutex_unlock(&lock);
	if (old)
		policy_ref_put(old);
	return 0;
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

const char *policy_ref_request(const struct policy_ref *r)
{
	return r->request;
}

void policy_ref_put(struct policy_ref *r)
{
	unsigned left;

	pthread_mutex_lock(&lock);
	left = --r->refs;
	pthread_mutex_unlock(&lock);
	if (left == 0) {
		policy_free(r->policy);
		free(r->request);
		free(r);
	}
}
