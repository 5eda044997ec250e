/*
 * daemon - the state kensa-milter's threads share: its settings (fixed
 * after start), the scan worker pool and the count of messages in flight
 * (for the drain on SIGTERM). The policy is shared through policy_ref.
 */
#ifndef KENSA_DAEMON_H
#define KENSA_DAEMON_H

#include "../policy/settings.h"
#include "pool.h"

struct daemon {
	struct settings settings;
	struct pool pool;
};

extern struct daemon kensa;

void daemon_message_begin(void);
void daemon_message_end(void);
int daemon_messages_in_flight(void);

#endif
