/*
 * hold - where a quarantined message goes and how a released one comes
 * back. With quarantine_method: hold, Postfix's hold queue (the milter
 * quarantine request; released with postsuper -H). With store, kensa's
 * quarantine store (store/quarantine.h): the message and its metadata are
 * written and synced before the MTA is told to discard or reject it; if
 * that fails the caller answers 4xx, so nothing is lost. A message that
 * carries a valid release stamp (store/release.h) is let through. Rules'
 * copy_to copies of mail that is not delivered are sent from here too.
 */
#ifndef KENSA_HOLD_H
#define KENSA_HOLD_H

#include <stddef.h>

#include "events.h"
#include "judge.h"
#include "spool.h"

int hold_init(void); /* the release key, as the run-time user */
/* Stores the message; fills *ref (method "store", id in id_buf). */
int hold_store(const struct spool *spool, const struct envelope *env,
	       const struct judgement *j, double elapsed_ms,
	       struct quarantine_ref *ref, char *id_buf, size_t id_len);
/* copy_to of the counted rules, for mail that is not delivered
 * (quarantined or rejected): a separate copy, over SMTP to release_smtp,
 * marked X-Kensa-Copy. Failures are logged, never fatal. */
void hold_send_copies(const struct spool *spool, const struct envelope *env,
		      const struct decision *d);
/* A valid stamp: sets j->released_id and lowers the verdict to tag. */
void hold_check_release(struct judgement *j, const char *stamp,
			const char *digest);

#endif
