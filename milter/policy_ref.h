/*
 * policy_ref - the one compiled policy the daemon's threads share. A
 * thread takes a reference for the whole of a message's decision; a
 * reload swaps in a new policy atomically and the old one is freed when
 * its last reference is dropped.
 */
#ifndef KENSA_POLICY_REF_H
#define KENSA_POLICY_REF_H

#include "../policy/policy.h"

struct policy_ref;

void policy_ref_set(struct policy *p);
struct policy_ref *policy_ref_get(void);
const struct policy *policy_ref_policy(const struct policy_ref *r);
void policy_ref_put(struct policy_ref *r);

#endif
