/*
 * log - the daemon's log: syslog (facility from log.facility, mail by
 * default) and/or stderr. log_clean() makes message-derived text safe for
 * a log line: valid UTF-8, no control characters, at most 200 bytes.
 */
#ifndef KENSA_LOG_H
#define KENSA_LOG_H

#include <stddef.h>
#include <syslog.h>

int log_open(const char *facility, int use_syslog, int use_stderr, int debug);
void log_msg(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *log_clean(const char *text);

#endif
