/*
 * direction - whether a message is outbound (our users sending) or inbound.
 * Outbound: the client authenticated ({auth_authen}), or Postfix's
 * {daemon_name} is one of outbound_daemons (a submission service with
 * -o milter_macro_daemon_name=ORIGINATING), or the client address is in
 * internal_networks. Mail from sendmail(1) reaches a non_smtpd_milters
 * filter as from 127.0.0.1, so it is outbound while internal_networks
 * holds 127.0.0.0/8 (the default).
 */
#ifndef KENSA_DIRECTION_H
#define KENSA_DIRECTION_H

#include "../parser/envelope.h"

/* daemons and networks: space- or comma-separated lists (kensa.yaml). */
int direction_outbound(const struct envelope *env, const char *daemons,
		       const char *networks);
const char *direction_name(const struct envelope *env);

#endif
