#include "quarantine.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirlist.h"

#define DAY_LEN 10 /* YYYY-MM-DD */

int quarantine_new_id(char id[QUARANTINE_ID_LEN + 1])
{
	unsigned char rnd[6];
	struct tm tm;
	time_t now = time(NULL);

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd) ||
	    !gmtime_r(&now, &tm))
		return -1;
	strftime(id, 18, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(id + 16, QUARANTINE_ID_LEN + 1 - 16,
		 "-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3],
		 rnd[4], rnd[5]);
	return 0;
}

int quarantine_id_valid(const char *id)
{
	if (!id || strlen(id) != QUARANTINE_ID_LEN)
		return 0;
	for (int i = 0; i < QUARANTINE_ID_LEN; i++) {
		char c = id[i];
		int ok = i == 8	   ? c == 'T'
			 : i == 15 ? c == 'Z'
			 : i == 16 ? c == '-'
			 : i < 16  ? isdigit((unsigned char)c)
				   : (isdigit((unsigned char)c) ||
				      (c >= 'a' && c <= 'f'));
		if (!ok)
			return 0;
	}
	return 1;
}

time_t quarantine_id_time(const char *id)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!quarantine_id_valid(id) || !strptime(id, "%Y%m%dT%H%M%SZ", &tm))
		return (time_t)-1;
	return timegm(&tm);
}

/* quarantine_dir/YYYY-MM-DD[/ID.ext] for a valid id. */
static int entry_path(const char *dir, const char *id, const char *ext,
		      char *out, size_t len)
{
	int n;

	if (!quarantine_id_valid(id))
		return -1;
	if (ext)
		n = snprintf(out, len, "%s/%.4s-%.2s-%.2s/%s%s", dir, id,
			     id + 4, id + 6, id, ext);
	else
		n = snprintf(out, len, "%s/%.4s-%.2s-%.2s", dir, id, id + 4,
			     id + 6);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int write_file(const char *path, int src_fd, size_t size,
		      const char *text)
{
	char tmp[4096];
	off_t off = 0;
	int fd, rc = -1;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0640);
	if (fd < 0)
		return -1;
	if (text) {
		size_t left = strlen(text);
		while (left > 0) {
			ssize_t w = write(fd, text, left);
			if (w <= 0)
				goto out;
			text += w;
			left -= (size_t)w;
		}
	} else {
		while ((size_t)off < size) {
			ssize_t n =
			    sendfile(fd, src_fd, &off, size - (size_t)off);
			if (n <= 0)
				goto out;
		}
	}
	if (fsync(fd) < 0)
		goto out;
	rc = 0;
out:
	if (close(fd) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int quarantine_store(const char *dir, const char *id, int msg_fd,
		     size_t msg_size, const char *meta)
{
	char day[4096], eml[4096], json[4096];

	if (entry_path(dir, id, NULL, day, sizeof(day)) < 0 ||
	    entry_path(dir, id, ".eml", eml, sizeof(eml)) < 0 ||
	    entry_path(dir, id, ".json", json, sizeof(json)) < 0)
		return -1;
	if (mkdir(day, 0750) < 0 && errno != EEXIST)
		return -1;
	if (write_file(eml, msg_fd, msg_size, NULL) < 0)
		return -1;
	if (write_file(json, -1, 0, meta) < 0) {
		unlink(eml);
		return -1;
	}
	return fsync_dir(day);
}

static int is_day(const char *name)
{
	return strlen(name) == DAY_LEN && isdigit((unsigned char)name[0]) &&
	       name[4] == '-' && name[7] == '-';
}

static int is_meta(const char *name)
{
	size_t n = strlen(name);
	return n == QUARANTINE_ID_LEN + 5 && strcmp(name + n - 5, ".json") == 0;
}

json_t *quarantine_meta(const char *dir, const char *id)
{
	char path[4096];
	int fd;
	json_t *j;

	if (entry_path(dir, id, ".json", path, sizeof(path)) < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	j = json_loadfd(fd, 0, NULL);
	close(fd);
	return j;
}

int quarantine_foreach(const char *dir,
		       int (*fn)(const char *id, json_t *meta, void *arg),
		       void *arg)
{
	char **days = dirlist_sorted(dir, is_day);
	int stop = 0;

	if (!days)
		return errno == ENOENT ? 0 : -1;
	for (char **d = days; *d && !stop; d++) {
		char path[4096];
		char **metas;
		snprintf(path, sizeof(path), "%s/%s", dir, *d);
		metas = dirlist_sorted(path, is_meta);
		for (char **m = metas; m && *m && !stop; m++) {
			char id[QUARANTINE_ID_LEN + 1];
			json_t *meta;
			memcpy(id, *m, QUARANTINE_ID_LEN);
			id[QUARANTINE_ID_LEN] = '\0';
			meta = quarantine_meta(dir, id);
			if (meta)
				stop = fn(id, meta, arg);
			json_decref(meta);
		}
		dirlist_free(metas);
	}
	dirlist_free(days);
	return 0;
}

int quarantine_open_message(const char *dir, const char *id)
{
	char path[4096];

	if (entry_path(dir, id, ".eml", path, sizeof(path)) < 0)
		return -1;
	return open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

int quarantine_delete(const char *dir, const char *id)
{
	char eml[4096], json[4096];

	if (entry_path(dir, id, ".eml", eml, sizeof(eml)) < 0 ||
	    entry_path(dir, id, ".json", json, sizeof(json)) < 0)
		return -1;
	/* metadata first: the entry disappears at once */
	if (unlink(json) < 0)
		return -1;
	unlink(eml);
	return 0;
}

static int is_entry_file(const char *name)
{
	size_t n = strlen(name);
	char id[QUARANTINE_ID_LEN + 1];

	if (n < QUARANTINE_ID_LEN)
		return 0;
	memcpy(id, name, QUARANTINE_ID_LEN);
	id[QUARANTINE_ID_LEN] = '\0';
	return quarantine_id_valid(id);
}

int quarantine_purge(const char *dir, time_t before, unsigned *removed)
{
	char **days = dirlist_sorted(dir, is_day);

	*removed = 0;
	if (!days)
		return errno == ENOENT ? 0 : -1;
	for (char **d = days; *d; d++) {
		char path[4096];
		char **files;
		snprintf(path, sizeof(path), "%s/%s", dir, *d);
		files = dirlist_sorted(path, is_entry_file);
		for (char **f = files; f && *f; f++) {
			char id[QUARANTINE_ID_LEN + 1], file[8192];
			memcpy(id, *f, QUARANTINE_ID_LEN);
			id[QUARANTINE_ID_LEN] = '\0';
			if (quarantine_id_time(id) >= before)
				continue;
			snprintf(file, sizeof(file), "%s/%s", path, *f);
			if (unlink(file) == 0 && is_meta(*f))
				(*removed)++;
		}
		dirlist_free(files);
		rmdir(path); /* only succeeds once the day is empty */
	}
	dirlist_free(days);
	return 0;
}
