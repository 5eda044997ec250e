/*
 * session - the libmilter callbacks: one session per MTA connection,
 * holding the envelope and spooling headers and body of the current
 * message; at end of message it asks judge for a decision and apply
 * carries it out. Headers are spooled byte-exact (SMFIP_HDR_LEADSPC).
 */
#ifndef KENSA_SESSION_H
#define KENSA_SESSION_H

#include <libmilter/mfapi.h>

extern struct smfiDesc session_filter;

#endif
