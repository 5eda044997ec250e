/*
 * sandbox - confines a scan worker once it has initialised: resource
 * limits (address space, no core files, no file writes, few descriptors)
 * and a seccomp filter that refuses networking, exec, ptrace and
 * privilege changes with EPERM. The per-scan CPU limit is set before each
 * scan (sandbox_cpu_limit) so a runaway parser dies by SIGXCPU/SIGKILL.
 */
#ifndef KENSA_SANDBOX_H
#define KENSA_SANDBOX_H

#include <stddef.h>

int sandbox_enter(size_t memory_limit);
int sandbox_cpu_limit(unsigned seconds);

#endif
