/*
 * dirlist - the names in a directory that a filter keeps, sorted
 * (strcmp), as a NULL-terminated array; NULL if the directory cannot be
 * read (errno says why). Shared by the quarantine store and the command
 * line's path walk.
 */
#ifndef KENSA_DIRLIST_H
#define KENSA_DIRLIST_H

char **dirlist_sorted(const char *path, int (*keep)(const char *name));
void dirlist_free(char **names);

#endif
