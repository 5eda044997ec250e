#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int privs_lookup(const char *user, const char *group, const char *socket_group,
		 struct run_as *out, char *err, size_t errlen)
{
	struct passwd *pw;
	struct group *gr;

	memset(out, 0, sizeof(*out));
	out->socket_gid = (gid_t)-1;
	if (socket_group && *socket_group) {
		gr = getgrnam(socket_group);
		if (!gr) {
			snprintf(err, errlen,
				 "socket_group '%s' does not exist",
				 socket_group);
			return -1;
		}
		out->socket_gid = gr->gr_gid;
	}
	if (!user || !*user)
		return 0;
	pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "user '%s' does not exist", user);
		return -1;
	}
	out->change = 1;
	out->uid = pw->pw_uid;
	out->gid = pw->pw_gid;
	if (group && *group) {
		gr = getgrnam(group);
		if (!gr) {
			snprintf(err, errlen, "group '%s' does not exist",
				 group);
			return -1;
		}
		out->gid = gr->gr_gid;
	}
	return 0;
}

int privs_make_dir(const char *path, mode_t mode, const struct run_as *as)
{
	char buf[4096];
	struct stat st;

	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : -1;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	if (as->change && chown(buf, as->uid, as->gid) < 0)
		return -1;
	return 0;
}

int privs_drop(const struct run_as *as, char *err, size_t errlen)
{
	if (!as->change)
		return 0;
	if (setgroups(1, &as->gid) < 0 || setgid(as->gid) < 0 ||
	    setuid(as->uid) < 0) {
		snprintf(err, errlen, "cannot drop privileges: %s",
			 strerror(errno));
		return -1;
	}
	if (as->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "root could be regained after dropping");
		return -1;
	}
	return 0;
}
