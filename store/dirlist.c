#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dirlist_sorted(const char *path, int (*keep)(const char *name))
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = calloc(64, sizeof(*names));
	size_t n = 0, cap = 64;

	if (!d || !names) {
		int saved = errno;
		if (d)
			closedir(d);
		free(names);
		errno = saved;
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (!keep(e->d_name))
			continue;
		if (n + 1 >= cap) {
			char **nn = realloc(names, cap * 2 * sizeof(*names));
			if (!nn)
				break;
			names = nn;
			cap *= 2;
		}
		if ((names[n] = strdup(e->d_name)))
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	names[n] = NULL;
	return names;
}

void dirlist_free(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}
