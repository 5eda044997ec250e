/*
 * daemon - the state kensa-milter's threads share: its settings (fixed
 * after start) and the scan worker pool. The policy is shared through
 * policy_ref; the count of messages in flight lives in stop.
 */
#ifndef KENSA_DAEMON_H
#define KENSA_DAEMON_H

#include "../policy/settings.h"
#include "../store/ledger.h"
#include "pool.h"

struct daemon {
	struct settings settings;
	struct pool pool;
	struct ledger *ledger; /* the thread ledger, or NULL */
};

extern struct daemon kensa;

#endif
