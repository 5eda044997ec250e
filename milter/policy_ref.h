/*
 * policy_ref - the one compiled policy the daemon's threads share. A
 * thread takes a reference for the whole of a message's decision; a
 * reload swaps in a new policy atomically and the old one is freed when
 * its last reference is dropped. The request the scan workers get with
 * each message (judge_worker_request) is made once per policy and kept
 * with it.
 */
#ifndef KENSA_POLICY_REF_H
#define KENSA_POLICY_REF_H

#include "../policy/policy.h"

struct policy_ref;

/* Takes p and request (both freed on failure); 0, or -1 without memory. */
int policy_ref_set(struct policy *p, char *request);
struct policy_ref *policy_ref_get(void);
const struct policy *policy_ref_policy(const struct policy_ref *r);
const char *policy_ref_request(const struct policy_ref *r);
void policy_ref_put(struct policy_ref *r);

#endif
