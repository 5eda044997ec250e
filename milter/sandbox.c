#include "sandbox.h"

#include <errno.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>

static const int denied_syscalls[] = {
    SCMP_SYS(socket),
    SCMP_SYS(socketpair),
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(listen),
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(execve),
    SCMP_SYS(execveat),
#ifndef __SANITIZE_ADDRESS__
    /* a sanitizer build allows it: LeakSanitizer's check at exit stops
     * the worker's threads with ptrace (see sandbox_enter) */
    SCMP_SYS(ptrace),
#endif
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
    SCMP_SYS(mount),
    SCMP_SYS(umount2),
    SCMP_SYS(chroot),
    SCMP_SYS(pivot_root),
    SCMP_SYS(setuid),
    SCMP_SYS(setgid),
    SCMP_SYS(setreuid),
    SCMP_SYS(setregid),
    SCMP_SYS(setresuid),
    SCMP_SYS(setresgid),
    SCMP_SYS(setgroups),
    SCMP_SYS(keyctl),
    SCMP_SYS(add_key),
    SCMP_SYS(request_key),
    SCMP_SYS(bpf),
    SCMP_SYS(perf_event_open),
    SCMP_SYS(unshare),
    SCMP_SYS(setns),
    SCMP_SYS(kexec_load),
    SCMP_SYS(init_module),
    SCMP_SYS(finit_module),
    SCMP_SYS(delete_module),
};

static int set_limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value};
	return setrlimit(resource, &rl);
}

static int install_filter(void)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	int rc = 0;

	if (!f)
		return -1;
	for (size_t i = 0; i < sizeof(denied_syscalls) / sizeof(int); i++)
		if (seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM),
				     denied_syscalls[i], 0) < 0)
			rc = -1;
	if (rc == 0 && seccomp_load(f) < 0)
		rc = -1;
	seccomp_release(f);
	return rc;
}

int sandbox_enter(size_t memory_limit)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
#ifndef __SANITIZE_ADDRESS__
	/* Not in a sanitizer build: there the worker stays dumpable and may
	 * use ptrace, or LeakSanitizer could not attach to its threads at
	 * exit and the leak check of the scan code would never run. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -1;
#endif
	if (set_limit(RLIMIT_CORE, 0) < 0 || set_limit(RLIMIT_FSIZE, 0) < 0 ||
	    set_limit(RLIMIT_NOFILE, 64) < 0)
		return -1;
#ifndef __SANITIZE_ADDRESS__
	if (memory_limit && set_limit(RLIMIT_AS, memory_limit) < 0)
		return -1;
#endif
	return install_filter();
}

int sandbox_cpu_limit(unsigned seconds)
{
	struct rusage ru;
	struct rlimit rl;

	if (getrusage(RUSAGE_SELF, &ru) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return -1;
	rl.rlim_cur =
	    (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + seconds + 1;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_CPU, &rl);
}
