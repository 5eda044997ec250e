/*
 * privs - the run-time user: looking it up, creating the daemon's
 * directories owned by it, handing it the milter socket, and dropping to
 * it for good (setgroups, setgid, setuid, then a check that root cannot
 * be regained). An empty user means: stay as started.
 */
#ifndef KENSA_PRIVS_H
#define KENSA_PRIVS_H

#include <sys/types.h>

struct run_as {
	int change; /* 0: stay as started */
	uid_t uid;
	gid_t gid;
	gid_t socket_gid; /* (gid_t)-1: leave the socket's group */
};

int privs_lookup(const char *user, const char *group, const char *socket_group,
		 struct run_as *out, char *err, size_t errlen);
int privs_make_dir(const char *path, mode_t mode, const struct run_as *as);
int privs_drop(const struct run_as *as, char *err, size_t errlen);

#endif
