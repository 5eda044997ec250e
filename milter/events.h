/*
 * events - the JSON event log: one line per message decided, the
 * `kensa scan --json` object plus the queue id, the envelope, the client,
 * the direction, the quarantine (where it went, if anywhere) and the time spent
 * (event_log in kensa.yaml: a file, "-" for stdout/journald, empty for none).
 * Lines are written whole under a lock with O_APPEND; events_reopen() (SIGUSR1)
 * reopens the file for logrotate.
 */
#ifndef KENSA_EVENTS_H
#define KENSA_EVENTS_H

#include <jansson.h>

#include "../parser/envelope.h"
#include "judge.h"

/* Where a quarantined message went: method "hold" or "store", and id. */
struct quarantine_ref {
	const char *method;
	const char *id;
};

int events_open(const char *path);
int events_reopen(void);
/* The event object (also the quarantine store's metadata). */
json_t *events_object(const struct envelope *env, const struct judgement *j,
		      double elapsed_ms, const struct quarantine_ref *q);
void events_write(const struct envelope *env, const struct judgement *j,
		  double elapsed_ms, const struct quarantine_ref *q);

#endif
