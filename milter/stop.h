/*
 * stop - how kensa-milter stops. libmilter runs in its own thread; the
 * main thread keeps SIGTERM, SIGINT and SIGHUP unblocked, so Linux
 * delivers them there and not to libmilter's signal thread (which would
 * drop sessions in flight). On a stop signal new messages are refused
 * with 451 4.7.1, messages in flight finish (up to drain_timeout), and
 * only then is libmilter stopped. If libmilter's loop ends on its own,
 * the daemon exits non-zero so that systemd restarts it.
 */
#ifndef KENSA_STOP_H
#define KENSA_STOP_H

int stop_init(void);
/* Runs smfi_main in a thread and waits; returns the exit status. */
int stop_run_milter(unsigned drain_seconds);

int stop_message_begin(void); /* -1 when stopping: refuse the message */
void stop_message_end(void);

#endif
