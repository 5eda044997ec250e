#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/dirlist.h"
#include "mbox.h"

struct walk {
	walk_fn fn;
	void *arg;
	int status;
	unsigned share, shares; /* messages seq % shares == share are ours */
	size_t seq;
};

static void walk_one(struct walk *w, const char *label, const char *path,
		     struct span msg)
{
	if (w->seq++ % w->shares == w->share)
		w->fn(label, path, msg, w->arg);
}

/* A path that cannot be read: said once, by share 0. */
static void walk_error(struct walk *w, const char *path)
{
	if (w->share == 0)
		fprintf(stderr, "kensa: %s: %s\n", path, strerror(errno));
	w->status = 2;
}

static void walk_span(struct walk *w, const char *name, struct span f)
{
	size_t offset = 0, index = 0;
	struct span msg;
	char label[4096];

	if (!mbox_is_mbox(f)) {
		walk_one(w, name, name, f);
		return;
	}
	while (mbox_next(f, &offset, &msg) == 0) {
		snprintf(label, sizeof(label), "%s:%zu", name, ++index);
		walk_one(w, label, name, msg);
	}
}

static int read_all(int fd, unsigned char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	unsigned char *buf = malloc(cap);

	while (buf) {
		ssize_t r;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -1;
}

static void walk_stdin(struct walk *w)
{
	unsigned char *buf;
	size_t len;

	if (read_all(0, &buf, &len) < 0) {
		fprintf(stderr, "kensa: stdin: %s\n", strerror(errno));
		w->status = 2;
		return;
	}
	walk_span(w, "-", span_make(buf, len));
	free(buf);
}

static void walk_path(struct walk *w, const char *path, unsigned depth);

static int walkable(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' &&
	       !(len > 5 && strcmp(name + len - 5, ".json") == 0);
}

static void walk_dir(struct walk *w, const char *path, unsigned depth)
{
	char **names = dirlist_sorted(path, walkable);

	if (!names) {
		walk_error(w, path);
		return;
	}
	for (char **n = names; *n; n++) {
		char *child;
		if (asprintf(&child, "%s/%s", path, *n) < 0)
			continue;
		walk_path(w, child, depth + 1);
		free(child);
	}
	dirlist_free(names);
}

static void walk_file(struct walk *w, const char *path, int fd, size_t size)
{
	void *map;

	if (size == 0) {
		walk_span(w, path, span_make("", 0));
		return;
	}
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		walk_error(w, path);
		return;
	}
	walk_span(w, path, span_make(map, size));
	munmap(map, size);
}

static void walk_path(struct walk *w, const char *path, unsigned depth)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		walk_stdin(w);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		walk_error(w, path);
		if (fd >= 0)
			close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode) && depth < WALK_MAX_DEPTH)
		walk_dir(w, path, depth);
	else if (S_ISREG(st.st_mode))
		walk_file(w, path, fd, (size_t)st.st_size);
	close(fd);
}

int walk_paths(char *const *paths, int npaths, walk_fn fn, void *arg)
{
	return walk_share(paths, npaths, 0, 1, fn, arg);
}

int walk_share(char *const *paths, int npaths, unsigned share, unsigned shares,
	       walk_fn fn, void *arg)
{
	struct walk w = {fn, arg, 0, share, shares, 0};

	for (int i = 0; i < npaths; i++)
		walk_path(&w, paths[i], 0);
	return w.status;
}
