/*
 * metrics - Prometheus metrics over HTTP (libmicrohttpd) on
 * metrics_listen (HOST:PORT, IPv4 or [IPv6]; empty: off): messages by
 * verdict and mode, rule hits, findings by id, scan latency histogram,
 * tempfails by cause, worker restarts, policy reloads, thread ledger
 * events (recorded, lookup, error). Counters are kept
 * under one lock; label sets (rules, finding ids) are bounded at
 * METRICS_MAX_LABELS each, the rest counted under "other".
 */
#ifndef KENSA_METRICS_H
#define KENSA_METRICS_H

#include "../policy/policy.h"

#define METRICS_MAX_LABELS 512

int metrics_start(const char *listen);
void metrics_stop(void);
void metrics_message(const struct report *r, const struct decision *d,
		     double seconds);
void metrics_tempfail(const char *cause);
void metrics_worker_restart(const char *reason);
void metrics_reload(int ok);
void metrics_ledger(const char *event);
void metrics_quarantined(const char *method, size_t bytes);

#endif
