/*
 * events - the JSON event log: one line per message decided, the
 * `kensa scan --json` object plus the queue id, the envelope, the client,
 * the direction, the quarantine and the time spent (event_log in
 * kensa.yaml: a file, "-" for stdout/journald, empty for none). Lines are
 * written whole under a lock with O_APPEND; events_reopen() (SIGUSR1)
 * reopens the file for logrotate.
 */
#ifndef KENSA_EVENTS_H
#define KENSA_EVENTS_H

#include "../parser/envelope.h"
#include "judge.h"

int events_open(const char *path);
int events_reopen(void);
void events_write(const struct envelope *env, const struct judgement *j,
		  double elapsed_ms);

#endif
