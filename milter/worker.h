/*
 * worker - the scan worker process (kensa-milter --worker): started by
 * the pool with its socket on WORKER_FD, it confines itself (sandbox),
 * then answers requests until the socket closes. A request is a JSON
 * frame (limits, timeout, test hooks) with the spool descriptor; the
 * answer is the report in report_wire's binary form. It never writes
 * files or opens sockets.
 */
#ifndef KENSA_WORKER_H
#define KENSA_WORKER_H

#include <stddef.h>

#define WORKER_FD 3

int worker_main(size_t memory_limit);

#endif
