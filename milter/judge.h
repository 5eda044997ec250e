/*
 * judge - one spooled message to a decision: the poison check, the scan
 * in a worker before the deadline, the report, the policy. A scan that
 * times out or crashes still gives a report (scan.timeout, scan.error,
 * scan.poison) for the policy to decide on; inbound mail also gets the
 * thread findings of the envelope and the ledger (thread_ledger.h); only
 * transient faults (no policy, memory, a broken worker answer) return
 * JUDGE_TEMPFAIL; a poisoned message with on_poison: tempfail returns
 * JUDGE_POISON_TEMPFAIL.
 */
#ifndef KENSA_JUDGE_H
#define KENSA_JUDGE_H

#include <time.h>

#include "../policy/policy.h"
#include "policy_ref.h"

enum judge_status { JUDGE_OK, JUDGE_TEMPFAIL, JUDGE_POISON_TEMPFAIL };

struct judgement {
	struct report report;
	struct decision decision;
	struct policy_ref *policy;
	int poisoned;	   /* answered by on_poison, not by the policy */
	char *released_id; /* a valid release stamp let it through */
};

/* The request the workers get with each message under policy p: the
 * limits, the timeout, test hooks, the YARA files, the common passwords
 * (malloc'd JSON, or NULL without memory). */
char *judge_worker_request(const struct policy *p);
enum judge_status judge_message(int spool_fd, const char *sha256,
				const struct envelope *env,
				const struct timespec *deadline,
				struct judgement *out);
/* Outbound mail that goes out (accept, tag, or monitor mode) is recorded
 * in the thread ledger; failures are logged, never answered. */
void judge_record_outbound(const struct envelope *env,
			   const struct judgement *j);
void judgement_free(struct judgement *j);

#endif
